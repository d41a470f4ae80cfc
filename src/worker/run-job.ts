import type { Logger } from "pino";
import type { BridgeConfig } from "../config/config-schema.ts";
import type { Executor } from "../github/executor.ts";
import type { PlannedEffect } from "../rules/effect.ts";
import { type PlannedEffects, planEffects } from "../rules/plan-effects.ts";
import type { Job, JobOutcome, Store } from "../store/store.ts";
import { describeJobError } from "./describe-job-error.ts";
import { PermanentJobError } from "./job-errors.ts";
import { type FailurePolicy, settleFailedJob } from "./settle-failed-job.ts";

export interface JobContext {
  store: Store;
  config: BridgeConfig;
  executor: Executor<PlannedEffect>;
  log: Logger;
  policy: FailurePolicy;
  /** Aborted when a stopping worker gives the job back: no further effect may start. */
  signal: AbortSignal;
}

/**
 * Plans one job and executes the effects an earlier attempt did not finish, recording each result as
 * soon as it is known, so a crash between effects repeats at most the effect that was in flight.
 */
export async function runJob(job: Job, context: JobContext): Promise<void> {
  const { store, config, executor, log, policy, signal } = context;
  let plan: PlannedEffects<PlannedEffect>;
  try {
    plan = planEffects(job.event, config);
  } catch (error) {
    // A poison event would fail the same way on every attempt.
    const poison = new PermanentJobError(`planning failed: ${describeJobError(error)}`, {
      cause: error,
    });
    await settleFailedJob(job, poison, store, log, policy);
    return;
  }
  try {
    const effects: JobOutcome["effects"] = [];
    for (const effect of plan.effects) {
      if (signal.aborted) return;
      const earlier = job.completedEffects[effect.idempotencyKey];
      if (earlier) {
        log.debug({ idempotencyKey: effect.idempotencyKey }, "effect done by an earlier attempt");
        effects.push({ effect, result: earlier });
        continue;
      }
      const { links, ...result } = await executor.execute(effect, { job, store, log });
      // One transaction: a GitHub object's id is stored exactly when the result saying it exists is.
      await store.recordEffect(job, effect.idempotencyKey, result, links);
      effects.push({ effect, result });
    }
    if (signal.aborted) return;
    const summary = summarize(plan, effects);
    await store.completeJob(job, { summary, effects });
    log.info({ effects: effects.length }, `job done: ${summary}`);
  } catch (error) {
    await settleFailedJob(job, error, store, log, policy);
  }
}

function summarize(plan: PlannedEffects<PlannedEffect>, effects: JobOutcome["effects"]): string {
  if (effects.length === 0) return `no effects: ${plan.reason ?? "nothing to do"}`;
  const counts = new Map<string, number>();
  for (const { result } of effects) counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
  const parts = [...counts].map(([status, count]) => `${count} ${status}`);
  return `${effects.length} effect${effects.length === 1 ? "" : "s"}: ${parts.join(", ")}`;
}
