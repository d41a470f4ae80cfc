import { afterEach, describe, expect, it } from "vitest";
import { type AlarmMonitor, createAlarmMonitor } from "../../src/alarms/create-alarm-monitor.ts";
import { configSchema } from "../../src/config/config-schema.ts";
import { ALARM_ISSUE_TITLE } from "../../src/rules/plan-alarm-effects.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import { type ChecksBridge, startChecksBridge } from "../checks/support/start-checks-bridge.ts";
import { readFixture } from "../support/fixtures.ts";

const CONFIG = {
  routes: [{ hub: "some-user/*", github: "acme/app", dispatch: [{ workflow: "retrain.yml" }] }],
  alerts: { github: "acme/ops" },
};

let bridge: ChecksBridge;
let monitor: AlarmMonitor;

afterEach(async () => {
  bridge.github.expectNoViolations();
  await bridge.close();
});

async function start(): Promise<void> {
  bridge = await startChecksBridge({
    config: CONFIG,
    // acme/app has no retrain.yml yet: every dispatch to it fails and is dead-lettered.
    repos: [
      { owner: "acme", name: "app", commits: ["1".repeat(40)], branches: ["main"] },
      { owner: "acme", name: "ops" },
    ],
  });
  monitor = createAlarmMonitor({
    store: bridge.store,
    config: configSchema.parse(CONFIG),
    logger: createLogger({ level: "silent" }),
    onQueued: () => bridge.worker.wake(),
  });
}

/** A push of main to a new commit each time, so each is its own delivery and job. */
async function push(n: number): Promise<void> {
  const sha = (sha: number) => sha.toString(16).padStart(40, "c");
  expect(
    await bridge.sendHub({
      ...readFixture("composed-repo.content-update-main-and-new-tag.json"),
      updatedRefs: [{ ref: "refs/heads/main", oldSha: sha(2 * n), newSha: sha(2 * n + 1) }],
    }),
  ).toBe(202);
  await bridge.settle();
}

async function check(): Promise<void> {
  await monitor.checkNow();
  await bridge.settle();
}

function alarmIssues() {
  return [...(bridge.github.state.repos.get("acme/ops")?.issues.values() ?? [])];
}

function issueWrites(): number {
  return bridge.github.requests.filter(
    (request) => request.method !== "GET" && request.path.startsWith("/repos/acme/ops/"),
  ).length;
}

describe("the bridge's own alarm issue (alerts.github)", () => {
  it("opens once on dead letters, edits it as more pile up, closes it when a replay succeeds, reopens the same one", async () => {
    await start();
    await push(1);
    expect((await bridge.store.listDeadLetters({ limit: 10 })).length).toBe(1);
    await check();
    expect(alarmIssues()).toHaveLength(1);
    expect(alarmIssues()[0]).toMatchObject({ title: ALARM_ISSUE_TITLE, state: "open" });
    expect(alarmIssues()[0]?.body).toContain("1 dead-lettered job");
    expect(alarmIssues()[0]?.body).toContain("npx hf-bridge replay");

    // Nothing changed: no new job, no write.
    const writes = issueWrites();
    const deliveries = (await bridge.store.listDeliveries({ limit: 100 })).length;
    await check();
    expect(issueWrites()).toBe(writes);
    expect((await bridge.store.listDeliveries({ limit: 100 })).length).toBe(deliveries);

    await push(2);
    await push(3);
    await check();
    expect(alarmIssues()).toHaveLength(1);
    expect(alarmIssues()[0]).toMatchObject({ state: "open" });
    expect(alarmIssues()[0]?.body).toContain("3 dead-lettered jobs");
    // Edited in place: not one comment.
    expect(bridge.github.state.comments.size).toBe(0);

    // The cause is fixed and the dead jobs replayed: they succeed, and the alarm closes.
    bridge.github.state.repos
      .get("acme/app")
      ?.workflows.push({ id: 4242, path: ".github/workflows/retrain.yml" });
    for (const letter of await bridge.store.listDeadLetters({ limit: 10 })) {
      expect(await bridge.store.replayDeadLetter(letter.jobId)).toBe(true);
    }
    bridge.worker.wake();
    await bridge.settle();
    expect(bridge.github.state.repos.get("acme/app")?.workflowDispatches).toHaveLength(3);
    await check();
    expect(alarmIssues()).toHaveLength(1);
    expect(alarmIssues()[0]).toMatchObject({ state: "closed" });
    expect(alarmIssues()[0]?.body).toContain("All well");

    // A new failure reopens the same issue: never a second one.
    bridge.github.state.repos.get("acme/app")?.workflows.splice(0);
    await push(4);
    await check();
    expect(alarmIssues()).toHaveLength(1);
    expect(alarmIssues()[0]).toMatchObject({ state: "open" });
    expect(alarmIssues()[0]?.body).toContain("1 dead-lettered job");
    expect(bridge.github.state.comments.size).toBe(0);
  });
});
