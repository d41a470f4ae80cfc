import { afterEach, describe, expect, it } from "vitest";
import { MIN_HUB_ANSWERS_JUDGED } from "../../src/alarms/check-hub-answer-share.ts";
import { createAlarmMonitor } from "../../src/alarms/create-alarm-monitor.ts";
import { configSchema } from "../../src/config/config-schema.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import { type ChecksBridge, startChecksBridge } from "../checks/support/start-checks-bridge.ts";
import { readFixture } from "../support/fixtures.ts";

const CONFIG = {
  routes: [{ hub: "some-user/*", github: "acme/app", dispatch: [{ workflow: "retrain.yml" }] }],
  alerts: { github: "acme/ops" },
};

let bridge: ChecksBridge;

afterEach(async () => {
  bridge.github.expectNoViolations();
  await bridge.close();
});

/** Pushes of main to new commits n from..to, each its own accepted delivery (202). */
async function sendGood(from: number, to: number): Promise<void> {
  const sha = (value: number) => value.toString(16).padStart(40, "c");
  for (let n = from; n <= to; n++) {
    expect(
      await bridge.sendHub({
        ...readFixture("composed-repo.content-update-main-and-new-tag.json"),
        updatedRefs: [{ ref: "refs/heads/main", oldSha: sha(2 * n), newSha: sha(2 * n + 1) }],
      }),
    ).toBe(202);
  }
  await bridge.settle();
}

describe("the alarm on non-2xx answers to the Hub", () => {
  it("opens when a fifth of the last hour's answers failed, edits nothing while it stays, closes once they are under a fifth again", async () => {
    bridge = await startChecksBridge({
      config: CONFIG,
      repos: [
        {
          owner: "acme",
          name: "app",
          commits: ["1".repeat(40)],
          branches: ["main"],
          workflows: ["retrain.yml"],
        },
        { owner: "acme", name: "ops" },
      ],
    });
    const monitor = createAlarmMonitor({
      store: bridge.store,
      config: configSchema.parse(CONFIG),
      logger: createLogger({ level: "silent" }),
      onQueued: () => bridge.worker.wake(),
    });
    const issues = () => [...(bridge.github.state.repos.get("acme/ops")?.issues.values() ?? [])];
    const check = async () => {
      const problems = await monitor.checkNow();
      await bridge.settle();
      return problems.map((problem) => problem.id);
    };

    // Too few answers to judge: two rejections alone raise nothing.
    expect(await bridge.sendHub({ not: "a Hub payload" })).toBe(400);
    expect(await bridge.sendHub({ still: "not one" })).toBe(400);
    expect(await check()).toStrictEqual([]);
    expect(issues()).toHaveLength(0);

    // Eight good deliveries: 2 of 10 answers failed, the alarm's share.
    await sendGood(1, MIN_HUB_ANSWERS_JUDGED - 2);
    await bridge.settle();
    expect(await check()).toStrictEqual(["hub-answers"]);
    expect(issues()).toHaveLength(1);
    expect(issues()[0]?.state).toBe("open");
    expect(issues()[0]?.body).toContain("the Hub webhook risks suspension");
    expect(issues()[0]?.body).toContain("2 of the last hour's 10 Hub deliveries");
    expect(issues()[0]?.body).toContain("npx hf-bridge deliveries");

    // A third rejection moves the numbers, not the problem: no new write.
    const writes = bridge.github.requests.filter((request) => request.method !== "GET").length;
    expect(await bridge.sendHub({ third: "bad one" })).toBe(400);
    expect(await check()).toStrictEqual(["hub-answers"]);
    expect(bridge.github.requests.filter((request) => request.method !== "GET").length).toBe(
      writes,
    );

    // Good deliveries dilute the 3 rejections below a fifth (3 of 17): the same issue closes.
    await sendGood(MIN_HUB_ANSWERS_JUDGED - 1, 14);
    expect(await check()).toStrictEqual([]);
    expect(issues()).toHaveLength(1);
    expect(issues()[0]?.state).toBe("closed");
    expect(bridge.github.state.comments.size).toBe(0);
  });
});
