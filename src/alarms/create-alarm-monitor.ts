import type { Logger } from "pino";
import type { BridgeConfig } from "../config/config-schema.ts";
import type { BridgeEvent, BridgeProblem } from "../events/bridge-event.ts";
import type { Store } from "../store/store.ts";
import { sha256 } from "../util/sha256.ts";
import { checkBridgeHealth } from "./check-bridge-health.ts";
import type { FailureTracker } from "./create-failure-tracker.ts";

/** How often `serve` looks at its own health: dead letters pile up over hours, not seconds. */
const ALARM_CHECK_INTERVAL_MS = 60_000;
const STATE_KEY = "bridge-alarm";

interface AlarmState {
  seq: number;
  fingerprint: string;
  /** Whether the last recorded alarm had problems (so the issue is, or is about to be, open). */
  open: boolean;
}

export interface AlarmMonitor {
  /** Checks now; queues an alarm event when what is wrong changed. Resolves with the problems found. */
  checkNow(now?: Date): Promise<BridgeProblem[]>;
  start(): void;
  stop(): void;
}

/**
 * Watches the bridge's own health for `alerts`. A change (a problem appears, its count moves, all is
 * well again) is recorded as a delivery and handled by the worker like any event, so the alarm issue
 * is written exactly once per change, with createOnce, and never by this loop itself. The delivery is
 * recorded before the state: a crash in between records the same change again, a duplicate by its key.
 */
export function createAlarmMonitor(options: {
  store: Store;
  config: BridgeConfig;
  logger: Logger;
  /** What the pollers report, for the alarm on pollers that keep failing. */
  pollers?: FailureTracker;
  /** What the GitHub clients report, for the alarm on credentials GitHub keeps refusing. */
  credentials?: FailureTracker;
  onQueued?: () => void;
  intervalMs?: number;
}): AlarmMonitor {
  const { store, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<BridgeProblem[]> | undefined;

  async function check(now: Date): Promise<BridgeProblem[]> {
    const problems = await checkBridgeHealth(store, now, {
      pollers: options.pollers,
      credentials: options.credentials,
    });
    const previous = (await store.getState(STATE_KEY)) as AlarmState | undefined;
    const fingerprint = sha256(JSON.stringify(problems.map(({ id, title }) => ({ id, title }))));
    if (previous?.fingerprint === fingerprint) return problems;
    // Never opened and all is well: there is no issue to write to.
    if (problems.length === 0 && !previous?.open) return problems;
    const seq = (previous?.seq ?? 0) + 1;
    const event: BridgeEvent = {
      kind: "bridge.alarm",
      seq,
      checkedAt: now.toISOString(),
      problems,
    };
    const result = await store.recordDelivery({
      source: "alarm-monitor",
      receivedAt: now,
      dedupeKey: `bridge-alarm:${seq}:${fingerprint}`,
      body: JSON.stringify({ problems }),
      headers: {},
      disposition: "queued",
      event,
    });
    await store.setState(STATE_KEY, { seq, fingerprint, open: problems.length > 0 });
    if (result.status === "accepted") options.onQueued?.();
    logger.info(
      { problems: problems.map((problem) => problem.title), seq },
      problems.length > 0 ? "bridge needs attention" : "bridge is well again",
    );
    return problems;
  }

  return {
    checkNow(now = new Date()) {
      // One check at a time: two at once would both see the old state and count one change twice.
      const next = (running ?? Promise.resolve([])).catch(() => []).then(() => check(now));
      running = next;
      return next;
    },
    start() {
      if (!options.config.alerts || timer) return;
      const tick = () => {
        void this.checkNow().catch((error: unknown) =>
          logger.warn({ err: error }, "bridge health check failed; trying again next interval"),
        );
      };
      timer = setInterval(tick, options.intervalMs ?? ALARM_CHECK_INTERVAL_MS);
      timer.unref();
      // At start-up too: dead letters left by the last run are news now, not in a minute.
      tick();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
