import { afterEach, describe, expect, it } from "vitest";
import { POLLER_FAILING_ALARM_MS } from "../../src/alarms/check-poller-failures.ts";
import { createAlarmMonitor } from "../../src/alarms/create-alarm-monitor.ts";
import { createFailureTracker } from "../../src/alarms/create-failure-tracker.ts";
import { configSchema } from "../../src/config/config-schema.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import { type ChecksBridge, startChecksBridge } from "../checks/support/start-checks-bridge.ts";

const CONFIG = {
  routes: [{ hub: "some-user/*", github: "acme/app", dispatch: [{ workflow: "retrain.yml" }] }],
  alerts: { github: "acme/ops" },
};

let bridge: ChecksBridge;

afterEach(async () => {
  bridge.github.expectNoViolations();
  await bridge.close();
});

describe("the alarm on a poller that keeps failing", () => {
  it("opens past the threshold, stays one issue while failures go on, closes after a success", async () => {
    bridge = await startChecksBridge({
      config: CONFIG,
      repos: [
        { owner: "acme", name: "app" },
        { owner: "acme", name: "ops" },
      ],
    });
    const pollers = createFailureTracker();
    const monitor = createAlarmMonitor({
      store: bridge.store,
      config: configSchema.parse(CONFIG),
      logger: createLogger({ level: "silent" }),
      pollers,
      onQueued: () => bridge.worker.wake(),
    });
    const issues = () => [...(bridge.github.state.repos.get("acme/ops")?.issues.values() ?? [])];
    const check = async () => {
      const problems = await monitor.checkNow();
      await bridge.settle();
      return problems.map((problem) => problem.id);
    };
    const ago = (ms: number) => new Date(Date.now() - ms);
    const source = "endpoints of acme";

    // Failing, but not for long: no alarm yet.
    pollers.record(source, { ok: false, error: "GET /v2/endpoint/acme answered 401" }, ago(60_000));
    expect(await check()).toStrictEqual([]);
    expect(issues()).toHaveLength(0);

    // A success clears the clock; failures since long ago (and still going on) raise the alarm.
    pollers.record(source, { ok: true }, ago(POLLER_FAILING_ALARM_MS + 50_000));
    pollers.record(
      source,
      { ok: false, error: "first 503" },
      ago(POLLER_FAILING_ALARM_MS + 40_000),
    );
    pollers.record(source, { ok: false, error: "answered 401" }, ago(10_000));
    expect(await check()).toStrictEqual(["pollers"]);
    expect(issues()).toHaveLength(1);
    expect(issues()[0]?.state).toBe("open");
    expect(issues()[0]?.body).toContain("1 poller failing for over 60 minutes");
    expect(issues()[0]?.body).toContain("No successful poll of endpoints of acme");
    expect(issues()[0]?.body).toContain("answered 401");

    const writes = bridge.github.requests.filter((request) => request.method !== "GET").length;
    pollers.record(source, { ok: false, error: "answered 401 again" }, new Date());
    expect(await check()).toStrictEqual(["pollers"]);
    expect(bridge.github.requests.filter((request) => request.method !== "GET").length).toBe(
      writes,
    );

    pollers.record(source, { ok: true }, new Date());
    expect(await check()).toStrictEqual([]);
    expect(issues()).toHaveLength(1);
    expect(issues()[0]?.state).toBe("closed");
    expect(bridge.github.state.comments.size).toBe(0);
  });
});
