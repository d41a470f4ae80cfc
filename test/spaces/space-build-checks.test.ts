import { afterEach, describe, expect, it } from "vitest";
import { type ChecksBridge, startChecksBridge } from "../checks/support/start-checks-bridge.ts";
import { readFixture } from "../support/fixtures.ts";

const SPACE = "Wauplin/gradio-user-history";
const FIRST = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
const SECOND = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
const BEFORE = "5e7f29fffcc579cb52539fddb14a1a4f85f39e44";
/** Past the poller's guard against the previous build's RUNNING right after a push. */
const SETTLED_MS = 60_000;

let bridge: ChecksBridge;

afterEach(async () => {
  bridge.github.expectNoViolations();
  await bridge.close();
});

async function start(checks: Record<string, unknown> = {}): Promise<void> {
  bridge = await startChecksBridge({
    config: { routes: [{ hub: SPACE, github: "acme/space-app", commits: "checks", checks }] },
    repos: [{ owner: "acme", name: "space-app", commits: [BEFORE, FIRST, SECOND] }],
  });
}

/** The hfhub Space fixture, pushed to main (a Space builds from main only). */
function push(oldSha: string, newSha: string): Record<string, unknown> {
  const payload = readFixture("hfhub-repo.content-update-space-pr-ref.json");
  const repo = payload.repo as Record<string, unknown>;
  return {
    ...payload,
    repo: { ...repo, headSha: newSha },
    updatedRefs: [{ ref: "refs/heads/main", oldSha, newSha }],
  };
}

function runsBySha(): Record<string, [string, string | null, string | null]> {
  return Object.fromEntries(
    bridge.checkRuns().map((run) => [run.head_sha, [run.status, run.conclusion, run.output.title]]),
  );
}

async function stage(name: string, errorMessage?: string): Promise<void> {
  bridge.runtimes.set(SPACE, name, errorMessage);
  bridge.clock.advance(SETTLED_MS);
  await bridge.pollAndSettle();
}

describe("Space build status as a check run", () => {
  it("goes in_progress while BUILDING and success at RUNNING, then stops polling", async () => {
    await start();
    await bridge.sendHub(push(BEFORE, FIRST));
    await bridge.settle();
    const seen = [runsBySha()[FIRST]];
    await stage("BUILDING");
    seen.push(runsBySha()[FIRST]);
    await stage("RUNNING");
    seen.push(runsBySha()[FIRST]);
    expect(seen).toStrictEqual([
      ["in_progress", null, `Space ${SPACE} is building main @ a1a1a1a`],
      ["in_progress", null, `Space ${SPACE} is building a1a1a1a: BUILDING`],
      ["completed", "success", `Space ${SPACE} is running a1a1a1a`],
    ]);
    expect(bridge.runtimeRequests()).toBe(2);
    await bridge.pollAndSettle();
    bridge.clock.advance(60 * 60_000);
    await bridge.pollAndSettle();
    expect(bridge.runtimeRequests()).toBe(2);
    expect(bridge.checkRuns()).toHaveLength(1);
  });

  it("goes failure at BUILD_ERROR with the Hub's error message in the summary", async () => {
    await start();
    await bridge.sendHub(push(BEFORE, FIRST));
    await bridge.settle();
    await stage("BUILDING");
    await stage("BUILD_ERROR", "Build failed with exit code: 1\npip: no matching distribution");
    const [run] = bridge.checkRuns();
    expect([run?.status, run?.conclusion, run?.output.title]).toStrictEqual([
      "completed",
      "failure",
      `Space ${SPACE} failed at a1a1a1a: BUILD_ERROR`,
    ]);
    expect(run?.output.summary).toContain(
      "```text\nBuild failed with exit code: 1\npip: no matching distribution\n```",
    );
    expect(run?.output.summary).toContain("Previous stage: `BUILDING`");
  });

  it("leaves the first of two quick commits neutral, superseded by the second", async () => {
    await start();
    await bridge.sendHub(push(BEFORE, FIRST));
    await bridge.sendHub(push(FIRST, SECOND));
    await bridge.settle();
    await stage("BUILDING");
    expect(runsBySha()).toStrictEqual({
      [FIRST]: ["completed", "neutral", "Superseded by b2b2b2b"],
      [SECOND]: ["in_progress", null, `Space ${SPACE} is building b2b2b2b: BUILDING`],
    });
    await stage("RUNNING");
    expect(runsBySha()[SECOND]?.slice(0, 2)).toStrictEqual(["completed", "success"]);
    expect(runsBySha()[FIRST]?.slice(0, 2)).toStrictEqual(["completed", "neutral"]);
    // One runtime request per poll, whatever the number of builds of the Space.
    expect(bridge.runtimeRequests()).toBe(2);
  });

  it("shows an unknown stage as it is and ends as timed_out after the configured minutes", async () => {
    await start({ spaceTimeoutMinutes: 5 });
    await bridge.sendHub(push(BEFORE, FIRST));
    await bridge.settle();
    await stage("QUANTUM_FLUX");
    expect(runsBySha()[FIRST]).toStrictEqual([
      "in_progress",
      null,
      `Space ${SPACE} is building a1a1a1a: QUANTUM_FLUX`,
    ]);
    bridge.clock.advance(5 * 60_000);
    await bridge.pollAndSettle();
    const [run] = bridge.checkRuns();
    expect([run?.status, run?.conclusion]).toStrictEqual(["completed", "timed_out"]);
    expect(run?.output.summary).toContain("No terminal stage within 5 minutes");
    const requests = bridge.runtimeRequests();
    bridge.clock.advance(60_000);
    await bridge.pollAndSettle();
    expect(bridge.runtimeRequests()).toBe(requests);
  });

  it("does not believe a RUNNING seen right after the push (the previous build's)", async () => {
    await start();
    await bridge.sendHub(push(BEFORE, FIRST));
    await bridge.settle();
    bridge.runtimes.set(SPACE, "RUNNING");
    bridge.clock.advance(5_000);
    await bridge.pollAndSettle();
    expect(runsBySha()[FIRST]?.slice(0, 2)).toStrictEqual(["in_progress", null]);
    await stage("RUNNING");
    expect(runsBySha()[FIRST]?.slice(0, 2)).toStrictEqual(["completed", "success"]);
  });
});
