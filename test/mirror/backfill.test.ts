import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backfillDiscussions } from "../../src/mirror/backfill-discussions.ts";
import type { FakeHubRepo } from "../support/fake-hub/types.ts";
import { type StartedBridge, startBridge } from "../support/start-bridge.ts";
import { commentsOn, issueFor, issuesOf } from "./github-state.ts";

const REPO_ID = "6366c000a2abcdf2fd69a080";
const AUTHOR = { id: "61d2000c3c2083e1c08af22d", name: "some-user" };

let bridge: StartedBridge;
let repo: FakeHubRepo;

beforeEach(async () => {
  bridge = await startBridge({ hub: true });
  const added = bridge.hub?.addRepo({ id: REPO_ID, type: "model", name: "some-user/some-repo" });
  if (!added) throw new Error("the fake Hub did not start");
  repo = added;
  const discussions = [
    { num: 1, title: "Old question", status: "open" as const, isPullRequest: false },
    { num: 2, title: "Stale idea", status: "closed" as const, isPullRequest: false },
    { num: 3, title: "Hello!", status: "draft" as const, isPullRequest: true },
    { num: 4, title: "Merged fix", status: "merged" as const, isPullRequest: true },
  ];
  for (const discussion of discussions) {
    bridge.hub?.addDiscussion(repo, {
      ...discussion,
      author: AUTHOR,
      ...(discussion.isPullRequest
        ? { changes: { base: "refs/heads/main", mergeCommitId: "ab".repeat(20) } }
        : {}),
      openingComment: {
        id: `64000000000000000000000${discussion.num}`,
        text: `Opening post ${discussion.num}`,
      },
    });
  }
});

afterEach(async () => {
  await bridge.close();
  bridge.github.expectNoViolations();
});

function backfill() {
  const hub = bridge.hubClient;
  if (!hub) throw new Error("no Hub client");
  return backfillDiscussions({
    store: bridge.store,
    hub,
    config: bridge.config,
    repo: { type: "model", name: "some-user/some-repo" },
  });
}

describe("hf-bridge backfill", () => {
  it("mirrors the discussions opened before the bridge, skipping one already mirrored, and creates nothing the second time", async () => {
    // #3 arrived by webhook before the backfill.
    await bridge.post("composed-discussion-create-draft-pr.json");
    await bridge.drain();

    expect(await backfill()).toStrictEqual({ listed: 4, queued: 3, skipped: 1 });
    await bridge.drain();
    expect(issuesOf(bridge.github)).toHaveLength(4);
    expect(issueFor(bridge.github, `hub-discussion:${REPO_ID}:1`)).toMatchObject({
      title: "[Hub] Old question",
      state: "open",
      labels: ["huggingface", "hub-discussion"],
    });
    expect(issueFor(bridge.github, `hub-discussion:${REPO_ID}:1`).body).toContain("Opening post 1");
    expect(issueFor(bridge.github, `hub-discussion:${REPO_ID}:2`)).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
    });
    const merged = issueFor(bridge.github, `hub-discussion:${REPO_ID}:4`);
    expect(merged).toMatchObject({
      state: "closed",
      state_reason: "completed",
      labels: ["huggingface", "hub-pr"],
    });
    expect(commentsOn(bridge.github, merged.number).map((c) => c.body)).toStrictEqual([
      expect.stringContaining(`as commit \`${"ab".repeat(20)}\``),
    ]);

    const requestsBefore = bridge.github.requests.length;
    const issuesBefore = JSON.stringify(issuesOf(bridge.github));
    expect(await backfill()).toStrictEqual({ listed: 4, queued: 0, skipped: 4 });
    await bridge.drain();
    expect(bridge.github.requests.length).toBe(requestsBefore);
    expect(JSON.stringify(issuesOf(bridge.github))).toBe(issuesBefore);
  });

  it("refuses a Hub repo no route mirrors, saying how to fix it", async () => {
    const hub = bridge.hubClient;
    if (!hub) throw new Error("no Hub client");
    await expect(
      backfillDiscussions({
        store: bridge.store,
        hub,
        config: bridge.config,
        repo: { type: "dataset", name: "acme/data" },
      }),
    ).rejects.toThrow(
      'dataset "acme/data" is not mirrored: no route matches dataset "acme/data"; add a route with discussions: true to the config',
    );
  });
});
