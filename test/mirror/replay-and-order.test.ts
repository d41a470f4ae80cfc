import { afterEach, describe, expect, it } from "vitest";
import { hubWebhookFixtureNames, readFixture } from "../support/fixtures.ts";
import { type StartedBridge, startBridge } from "../support/start-bridge.ts";
import { asOtherWebhook } from "./as-other-webhook.ts";
import { canonicalState, issuesOf } from "./github-state.ts";

/**
 * Every discussion and comment fixture. The composed plain-discussion fixture describes discussion #3
 * of some-user/some-repo as *not* a pull request while the others describe it as one, which cannot
 * happen on the Hub (a discussion never changes kind), so it is given its own number and opening
 * comment id here; everything else is sent exactly as stored.
 */
function fixtureSet(): Array<{ name: string; body: Record<string, unknown> }> {
  return hubWebhookFixtureNames()
    .filter((name) => name.includes("discussion"))
    .map((name) => {
      const body = readFixture(name);
      if (name === "composed-discussion-create-plain-discussion.json") {
        body.discussion = { ...(body.discussion as object), num: 5 };
        body.comment = { ...(body.comment as object), id: "6398872887bfcfb93a3060cc" };
      }
      return { name, body };
    });
}

/** A deterministic shuffle (mulberry32 + Fisher–Yates), so a failing order can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

const bridges: StartedBridge[] = [];
afterEach(async () => {
  for (const bridge of bridges.splice(0)) {
    await bridge.close();
    bridge.github.expectNoViolations();
  }
});

async function runPass(bodies: Array<Record<string, unknown>>): Promise<StartedBridge> {
  const bridge = await startBridge();
  bridges.push(bridge);
  for (const body of bodies) await bridge.post(body);
  await bridge.drain();
  return bridge;
}

/** Five bridges and ~100 deliveries: about 10 s alone, and three times that on a loaded CI machine. */
const FIVE_PASSES_TIMEOUT_MS = 120_000;

describe("replayed and reordered Hub deliveries", () => {
  it(
    "leave the same GitHub state when replayed twice (as retries and as a second webhook) and in shuffled orders",
    async () => {
      const set = fixtureSet();
      expect(set.length).toBeGreaterThanOrEqual(17);
      const ordered = await runPass(set.map((fixture) => fixture.body));
      const expected = canonicalState(ordered.github);
      expect(Object.keys(expected)).toHaveLength(8);
      // The story of some-user/some-repo #3: a draft PR, its comment edited then hidden, closed, merged.
      expect(expected["hub-discussion:6366c000a2abcdf2fd69a080:3"]).toMatchObject({
        state: "closed",
        stateReason: "completed",
        labels: ["hub-pr", "huggingface"],
        comments: [
          expect.stringContaining("was merged into `refs/heads/main`"),
          expect.stringContaining("hidden on the Hub"),
        ],
      });

      const issueCount = issuesOf(ordered.github).length;
      const commentCount = ordered.github.state.comments.size;
      for (const fixture of set) await ordered.post(fixture.body);
      for (const fixture of set) await ordered.post(asOtherWebhook(fixture.body));
      await ordered.drain();
      expect(canonicalState(ordered.github)).toStrictEqual(expected);
      expect(issuesOf(ordered.github)).toHaveLength(issueCount);
      expect(ordered.github.state.comments.size).toBe(commentCount);

      for (const seed of [1, 2, 3]) {
        const bodies = shuffled(set, seed).map((fixture) => fixture.body);
        const reordered = await runPass([...bodies, ...shuffled(bodies, seed + 100)]);
        expect(canonicalState(reordered.github), `shuffle seed ${seed}`).toStrictEqual(expected);
        expect(issuesOf(reordered.github)).toHaveLength(issueCount);
      }
    },
    FIVE_PASSES_TIMEOUT_MS,
  );
});
