import { afterEach, describe, expect, it, vi } from "vitest";
import { type ChecksBridge, startChecksBridge } from "../checks/support/start-checks-bridge.ts";
import { readFixture } from "../support/fixtures.ts";

const SPACE = "Wauplin/gradio-user-history";
const BEFORE = "5e7f29fffcc579cb52539fddb14a1a4f85f39e44";
const SHA = "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";
const SECOND_MS = 1_000;
/** What the issue asks of a stage change seen on the stream: on the check run within 2 s. */
const STAGE_TO_CHECK_RUN_MS = 2_000;
/** The Hub's keep-alive rhythm in these tests (virtual seconds). */
const KEEP_ALIVE_EVERY_S = 15;
/** Runtime polls of the same 3-minute build without a stream (space-poll-requests.test.ts). */
const POLLING_REQUESTS = 11;

let bridge: ChecksBridge;

afterEach(async () => {
  bridge.github.expectNoViolations();
  await bridge.close();
});

async function startAndPush(spaceStreams: boolean): Promise<void> {
  bridge = await startChecksBridge({
    config: { routes: [{ hub: SPACE, github: "acme/space-app", commits: "checks" }] },
    repos: [{ owner: "acme", name: "space-app", commits: [BEFORE, SHA] }],
    spaceStreams,
  });
  const payload = readFixture("hfhub-repo.content-update-space-pr-ref.json");
  await bridge.sendHub({
    ...payload,
    updatedRefs: [{ ref: "refs/heads/main", oldSha: BEFORE, newSha: SHA }],
  });
  await bridge.settle();
}

/** Every request the bridge made to the fake Hub about the Space. */
function spaceRequests(): string[] {
  return bridge.hub.requests
    .filter((request) => request.path.startsWith(`/api/spaces/${SPACE}/`))
    .map((request) => request.path);
}

async function streamOpened(): Promise<void> {
  await bridge.poller.pollOnce();
  await vi.waitFor(() => expect(bridge.streams.open(SPACE)).toBe(1), { interval: 10 });
}

async function checkRunShows(titleEnd: RegExp, timeout = 10_000): Promise<void> {
  await vi.waitFor(() => expect(bridge.checkRuns()[0]?.output.title).toMatch(titleEnd), {
    timeout,
    interval: 10,
  });
}

describe("Space builds through the Hub's status stream", () => {
  it("goes in_progress then failure with the build log's tail within 2 s of the failing event, polling nothing", async () => {
    await startAndPush(true);
    await streamOpened();
    bridge.streams.status(SPACE, "BUILDING");
    await checkRunShows(/: BUILDING$/);
    expect(bridge.checkRuns()[0]?.status).toBe("in_progress");

    const noise = Array.from({ length: 400 }, (_, index) => `Step ${index}: pip install …`);
    bridge.streams.setBuildLog(SPACE, [
      ...noise,
      "export HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz0123456789",
      "ERROR: Could not find a version that satisfies the requirement torch==9.9",
    ]);
    const sent = performance.now();
    bridge.streams.status(SPACE, "BUILD_ERROR", { errorMessage: "Build failed with exit code: 1" });
    await vi.waitFor(() => expect(bridge.checkRuns()[0]?.conclusion).toBe("failure"), {
      timeout: STAGE_TO_CHECK_RUN_MS,
      interval: 10,
    });
    const elapsedMs = Math.round(performance.now() - sent);
    console.log(`BUILD_ERROR on the stream → failed check run with log tail: ${elapsedMs} ms`);

    const [run] = bridge.checkRuns();
    expect(run?.output.title).toBe(`Space ${SPACE} failed at c3c3c3c: BUILD_ERROR`);
    expect(run?.output.summary).toContain("Build failed with exit code: 1");
    expect(run?.output.summary).toContain(
      `[the full build log](${bridge.hub.url}/spaces/${SPACE}?logs=build)`,
    );
    const text = run?.output.text ?? "";
    expect(text).toContain("requirement torch==9.9");
    expect(text).toContain("Step 399: pip install");
    // The Hub was asked for its last 200 lines; a secret-looking one is hidden whole.
    expect(text).not.toContain("Step 199: pip install");
    expect(text).not.toContain("hf_abcdefghij");
    expect(text).toContain("[line hidden by the bridge: it looked like it held a secret]");
    expect(text.length).toBeLessThanOrEqual(65_535);
    // No runtime poll: the stream alone moved the run; it closes once the stage is terminal.
    expect(spaceRequests().filter((path) => path.endsWith("/runtime"))).toEqual([]);
    await vi.waitFor(() => expect(bridge.streams.open(SPACE)).toBe(0), { interval: 10 });
  });

  it("drops an event whose index was already seen", async () => {
    await startAndPush(true);
    await streamOpened();
    bridge.clock.advance(60 * SECOND_MS);
    bridge.streams.status(SPACE, "BUILDING", { id: 1 });
    await checkRunShows(/: BUILDING$/);
    // Index 1 again (a replay after a reconnect): not applied, else the run would end as failure.
    bridge.streams.status(SPACE, "BUILD_ERROR", { id: 1 });
    bridge.streams.status(SPACE, "RUNNING", { id: 2 });
    await checkRunShows(/is running c3c3c3c$/);
    await bridge.settle();
    expect(bridge.checkRuns()[0]).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("polls while the stream is silent and opens it again after a backoff", async () => {
    await startAndPush(true);
    await streamOpened();
    bridge.runtimes.set(SPACE, "BUILDING");
    for (let second = 1; second <= 70; second++) {
      bridge.clock.advance(SECOND_MS);
      await bridge.poller.pollOnce();
    }
    // Silent for a minute: polled, and a new stream asked for.
    const paths = spaceRequests();
    expect(paths.filter((path) => path.endsWith("/runtime")).length).toBeGreaterThan(0);
    expect(paths.filter((path) => path.endsWith("/events"))).toHaveLength(2);
    await vi.waitFor(() => expect(bridge.streams.open(SPACE)).toBe(1), { interval: 10 });
    bridge.streams.status(SPACE, "RUNNING");
    await checkRunShows(/is running c3c3c3c$/);
  });

  it("finishes the run by polling /runtime when the stream is refused", async () => {
    await startAndPush(true);
    bridge.streams.refuse(SPACE, 403);
    await bridge.poller.pollOnce();
    bridge.runtimes.set(SPACE, "BUILDING");
    for (let second = 1; second <= 120; second++) {
      bridge.clock.advance(SECOND_MS);
      if (second === 60) bridge.runtimes.set(SPACE, "RUNNING");
      await bridge.poller.pollOnce();
    }
    await bridge.settle();
    expect(bridge.checkRuns()[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(spaceRequests().filter((path) => path.endsWith("/events"))).toHaveLength(1);
    expect(spaceRequests().filter((path) => path.endsWith("/runtime")).length).toBeGreaterThan(1);
  });

  it("costs fewer Hub requests for a 3-minute build than polling (11)", async () => {
    await startAndPush(true);
    await streamOpened();
    const script: Array<[number, string, RegExp]> = [
      [1, "BUILDING", /: BUILDING$/],
      [150, "APP_STARTING", /: APP_STARTING$/],
      [180, "RUNNING", /is running c3c3c3c$/],
    ];
    for (let second = 1; second <= 900; second++) {
      bridge.clock.advance(SECOND_MS);
      const change = script.find(([at]) => at === second);
      if (change) {
        bridge.runtimes.set(SPACE, change[1]);
        bridge.streams.status(SPACE, change[1]);
        await checkRunShows(change[2]);
      } else if (second % KEEP_ALIVE_EVERY_S === 0) {
        bridge.streams.keepAlive(SPACE);
      }
      await bridge.poller.pollOnce();
    }
    await bridge.settle();
    expect(bridge.checkRuns()[0]).toMatchObject({ status: "completed", conclusion: "success" });
    const requests = spaceRequests();
    console.log(`3-minute build, Hub requests with the stream: ${requests.length} (${requests})`);
    expect(requests).toEqual([`/api/spaces/${SPACE}/events`]);
    expect(requests.length).toBeLessThan(POLLING_REQUESTS);
  });
});
