import type { Logger } from "pino";
import type { Effect } from "../rules/effect.ts";
import type { EffectResult, Job, Store } from "../store/store.ts";

export interface ExecutionContext {
  job: Job;
  store: Store;
  log: Logger;
}

/**
 * Turns one planned effect into I/O. Implementations record links through `store.recordEffect` in the
 * same transaction as the effect's result. Errors: PermanentJobError dead-letters the job,
 * RetryLaterError defers it, anything else is retried with backoff.
 */
export interface Executor {
  readonly mode: "dry-run" | "github";
  execute(effect: Effect, context: ExecutionContext): Promise<EffectResult>;
}
