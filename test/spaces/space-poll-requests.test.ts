import { afterEach, describe, expect, it } from "vitest";
import { type ChecksBridge, startChecksBridge } from "../checks/support/start-checks-bridge.ts";
import { readFixture } from "../support/fixtures.ts";

const SPACE = "Wauplin/gradio-user-history";
const BEFORE = "5e7f29fffcc579cb52539fddb14a1a4f85f39e44";
const SHA = "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";
const SECOND_MS = 1_000;

let bridge: ChecksBridge;

afterEach(async () => {
  bridge.github.expectNoViolations();
  await bridge.close();
});

async function startAndPush(): Promise<void> {
  bridge = await startChecksBridge({
    config: { routes: [{ hub: SPACE, github: "acme/space-app", commits: "checks" }] },
    repos: [{ owner: "acme", name: "space-app", commits: [BEFORE, SHA] }],
  });
  const payload = readFixture("hfhub-repo.content-update-space-pr-ref.json");
  await bridge.sendHub({
    ...payload,
    updatedRefs: [{ ref: "refs/heads/main", oldSha: BEFORE, newSha: SHA }],
  });
  await bridge.settle();
}

/**
 * Runs the poller on its own schedule, one look per virtual second, while the Space follows the
 * script (stage from a given second on); returns the second of each runtime request.
 */
async function follow(script: Array<[number, string]>, seconds: number): Promise<number[]> {
  const at: number[] = [];
  for (let second = 1; second <= seconds; second++) {
    bridge.clock.advance(SECOND_MS);
    const current = script.filter(([from]) => from <= second).at(-1);
    if (current) bridge.runtimes.set(SPACE, current[1]);
    const before = bridge.runtimeRequests();
    await bridge.poller.pollOnce();
    if (bridge.runtimeRequests() > before) at.push(second);
  }
  await bridge.settle();
  return at;
}

describe("Hub API requests per Space build", () => {
  it("a 3-minute build costs 11 runtime requests, and none once RUNNING", async () => {
    await startAndPush();
    const at = await follow(
      [
        [0, "BUILDING"],
        [150, "APP_STARTING"],
        [180, "RUNNING"],
      ],
      900,
    );
    // 5 s after the push and after each change, doubling to 30 s while the stage stays the same.
    expect(at).toStrictEqual([5, 10, 20, 40, 70, 100, 130, 160, 165, 175, 195]);
    expect(bridge.checkRuns()[0]?.conclusion).toBe("success");
  });

  it("a 20-minute build costs 43 runtime requests (one per 30 s at most)", async () => {
    await startAndPush();
    const at = await follow(
      [
        [0, "BUILDING"],
        [1200, "RUNNING"],
      ],
      1800,
    );
    expect(at).toHaveLength(43);
    expect(at.at(-1)).toBe(1210);
    expect(bridge.checkRuns()[0]?.conclusion).toBe("success");
  });

  it("backs off after a failed request and honours Retry-After", async () => {
    await startAndPush();
    bridge.runtimes.set(SPACE, "BUILDING");
    bridge.runtimes.failNext(SPACE, 503, { "retry-after": "120" });
    const at = await follow([], 200);
    expect(at).toStrictEqual([5, 125, 130, 140, 160, 190]);
  });
});
