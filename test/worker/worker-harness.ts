import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Logger, pino } from "pino";
import { expect, vi } from "vitest";
import { type BridgeConfig, configSchema } from "../../src/config/config-schema.ts";
import type { Effect } from "../../src/effects/effect.ts";
import { createDryRunExecutor } from "../../src/github/create-dry-run-executor.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../../src/jobs/executor.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import type { DeliverySummary, Store } from "../../src/store/store.ts";
import type { WorkerOptions } from "../../src/worker/create-worker.ts";
import { fixtureDelivery } from "../store/fixture-delivery.ts";

/**
 * The harness tests what runs on the store, not how fast the store answers (the store's own tests do):
 * a loaded CI machine has taken longer than the production 1.5 s for a first call.
 */
const STORE_WAIT_MS = 10_000;

/** Discussions of some-user/some-repo mirror into acme/mirror; its datasets dispatch on every ref. */
export const TEST_CONFIG: BridgeConfig = configSchema.parse({
  routes: [
    { hub: "some-user/some-repo", github: "acme/mirror", discussions: true },
    {
      hub: "some-user/*",
      types: ["dataset"],
      github: "acme/data",
      dispatch: [{ refs: ["refs/**"] }],
    },
    {
      hub: "some-user/*",
      types: ["model"],
      github: "acme/models",
      dispatch: [{ refs: ["refs/**"] }],
    },
  ],
});

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A pino logger whose records land in an array, so tests can read what was logged. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: "debug" },
    { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}

export async function openTempStore(): Promise<{ store: Store; destroy(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "hfb-worker-"));
  const store = await createSqliteStore({
    path: join(dir, "bridge.db"),
    answerWithinMs: STORE_WAIT_MS,
  });
  return {
    store,
    destroy: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Queues a real sample Hub payload as the HTTP edge would; returns its delivery id. */
export async function queueFixture(store: Store, fixture: string): Promise<number> {
  const recorded = await store.recordDelivery(fixtureDelivery(fixture));
  if (recorded.status !== "accepted" || recorded.jobId === undefined) {
    throw new Error(`fixture ${fixture} was not queued: ${JSON.stringify(recorded)}`);
  }
  return recorded.deliveryId;
}

export async function delivery(store: Store, id: number): Promise<DeliverySummary> {
  const summary = await store.getDelivery(id);
  if (!summary) throw new Error(`delivery ${id} is missing`);
  return summary;
}

/** Waits until the delivery's job is in the given state; tests assert on its contents afterwards. */
export async function waitForJobState(
  store: Store,
  id: number,
  jobState: DeliverySummary["jobState"],
  attempts?: number,
): Promise<DeliverySummary> {
  return vi.waitFor(
    async () => {
      const summary = await delivery(store, id);
      expect(summary.jobState).toBe(jobState);
      if (attempts !== undefined) expect(summary.attempts).toBe(attempts);
      return summary;
    },
    { timeout: 10_000, interval: 2 },
  );
}

export type ExecuteFunction = (
  effect: Effect,
  context: ExecutionContext,
  dryRun: Executor,
) => Promise<ExecutedEffect>;

/** A GitHub-edge double: records every effect it is asked to run and defers to `behave`. */
export function scriptedExecutor(
  behave: ExecuteFunction = (effect, context, dryRun) => dryRun.execute(effect, context),
): Executor & { calls: Effect[] } {
  const dryRun = createDryRunExecutor({ logger: pino({ level: "silent" }) });
  const calls: Effect[] = [];
  return {
    mode: "github",
    calls,
    execute(effect, context) {
      calls.push(effect);
      return behave(effect, context, dryRun);
    },
  };
}

/** Small intervals and a huge lease: tests move time with `now`, never by waiting. */
export function workerOptions(
  store: Store,
  executor: Executor,
  overrides: Partial<WorkerOptions> = {},
): WorkerOptions {
  return {
    store,
    config: TEST_CONFIG,
    executor,
    logger: pino({ level: "silent" }),
    workerId: "test-worker",
    leaseMs: 60_000,
    maxAttempts: 3,
    backoff: { baseMs: 1000, capMs: 60_000, random: () => 0 },
    pollIntervalMs: 5,
    concurrency: 2,
    ...overrides,
  };
}

/** The real store, watched: every claim it is asked for, to await or count. */
export function watchClaims(store: Store): { watched: Store; claims: Array<Promise<unknown>> } {
  const claims: Array<Promise<unknown>> = [];
  const watched: Store = {
    ...store,
    claimJob: (options) => {
      const claim = store.claimJob(options);
      claims.push(claim);
      return claim;
    },
  };
  return { watched, claims };
}
