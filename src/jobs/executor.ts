import type { Logger } from "pino";
import type { Effect, PlannedEffect } from "../effects/effect.ts";
import type { EffectResult, Job, LinkInput, Store } from "../store/store.ts";

export interface ExecutionContext {
  job: Job;
  store: Store;
  log: Logger;
  /**
   * Aborted when the job may no longer write: its lease was lost, or its worker gave it back at
   * shutdown. No request starts after that and waits end at once; a request already sent finishes.
   */
  signal: AbortSignal;
}

/**
 * An effect's result and the links its writes created or changed. The worker records both with
 * `store.recordEffect(job, key, result, links)`, so a new GitHub id is stored in the same transaction
 * as the result that says it exists.
 */
export interface ExecutedEffect extends EffectResult {
  links?: LinkInput[];
  /**
   * Create intents the result resolves beyond those of its links (a dispatch leaves no link); the
   * worker passes them to `recordEffect` with the result.
   */
  resolvedIntents?: string[];
}

/**
 * Turns one planned effect into I/O. Implementations return the links to record beside the result
 * (see ExecutedEffect) rather than recording them themselves. By default one takes GitHub effects;
 * the worker's executor takes every PlannedEffect and sends Hub effects to the Hub. Errors:
 * PermanentJobError dead-letters the job, RetryLaterError defers it, anything else is retried with
 * backoff.
 */
export interface Executor<E extends PlannedEffect = Effect> {
  readonly mode: "dry-run" | "github";
  execute(effect: E, context: ExecutionContext): Promise<ExecutedEffect>;
}
