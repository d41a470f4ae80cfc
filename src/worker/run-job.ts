import type { Logger } from "pino";
import type { BridgeConfig } from "../config/config-schema.ts";
import type { PlannedEffect } from "../effects/effect.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import { describeJobError } from "../jobs/describe-job-error.ts";
import type { Executor } from "../jobs/executor.ts";
import { PermanentJobError } from "../jobs/job-errors.ts";
import { planEffects } from "../rules/plan-effects.ts";
import type { PlannedEffects } from "../rules/planned-effects.ts";
import type { Job, JobOutcome, Store } from "../store/store.ts";
import { type FailurePolicy, settleFailedJob } from "./settle-failed-job.ts";

/**
 * Effects one delivery may cause. A push names each ref it updated and a rule may dispatch for each,
 * so a payload listing thousands of refs would otherwise write thousands of times; the first ones
 * run, the rest are refused in the job's outcome.
 */
const MAX_EFFECTS_PER_DELIVERY = 100;

interface JobContext {
  store: Store;
  config: BridgeConfig;
  executor: Executor<PlannedEffect>;
  log: Logger;
  policy: FailurePolicy;
  /**
   * Aborted when the job may no longer write (its lease was lost, or a stopping worker gives it
   * back): no further effect starts, and the reason says which.
   */
  signal: AbortSignal;
  /** The Hub's web address that planned links point at (HF_ENDPOINT). */
  hubUrl?: string;
  /** Default MAX_EFFECTS_PER_DELIVERY. */
  maxEffects?: number;
  /**
   * Fills in what the event needs from outside before it is planned (authors' Hub usernames); must
   * not throw for a failed lookup, only when the job's signal ends it.
   */
  prepareEvent?: PrepareEvent;
}

export type PrepareEvent = (
  event: BridgeEvent,
  context: { signal: AbortSignal; log: Logger },
) => Promise<BridgeEvent>;

/**
 * Plans one job and executes the effects an earlier attempt did not finish, recording each result as
 * soon as it is known, so a crash between effects repeats at most the effect that was in flight.
 */
export async function runJob(stored: Job, context: JobContext): Promise<void> {
  const { store, config, executor, log, policy, signal } = context;
  const maxEffects = context.maxEffects ?? MAX_EFFECTS_PER_DELIVERY;
  let job = stored;
  if (context.prepareEvent) {
    try {
      // Executors read the event from the job, so they see the same prepared one the plan came from.
      job = { ...stored, event: await context.prepareEvent(stored.event, { signal, log }) };
    } catch (error) {
      await settleFailedJob(stored, signal.aborted ? signal.reason : error, store, log, policy);
      return;
    }
  }
  let plan: PlannedEffects<PlannedEffect>;
  try {
    plan = planEffects(job.event, config, context.hubUrl ? { hubUrl: context.hubUrl } : undefined);
  } catch (error) {
    // A poison event would fail the same way on every attempt.
    const poison = new PermanentJobError(`planning failed: ${describeJobError(error)}`, {
      cause: error,
    });
    await settleFailedJob(job, poison, store, log, policy);
    return;
  }
  const refusals = [...(plan.refused ?? [])];
  const planned = plan.effects.slice(0, maxEffects);
  if (plan.effects.length > planned.length) {
    const refused = plan.effects.length - planned.length;
    refusals.push(
      `${refused} of ${plan.effects.length} planned effects refused: one delivery may cause at most ${maxEffects}, so the first ${maxEffects} ran`,
    );
  }
  for (const refusal of refusals) log.warn({ refusal }, `effects refused: ${refusal}`);
  try {
    const effects: JobOutcome["effects"] = [];
    for (const effect of planned) {
      signal.throwIfAborted();
      const earlier = job.completedEffects[effect.idempotencyKey];
      if (earlier) {
        log.debug({ idempotencyKey: effect.idempotencyKey }, "effect done by an earlier attempt");
        effects.push({ effect, result: earlier });
        continue;
      }
      const { links, resolvedIntents, ...result } = await executor.execute(effect, {
        job,
        store,
        log,
        signal,
      });
      // One transaction: a GitHub object's id is stored exactly when the result saying it exists is.
      await store.recordEffect(job, effect.idempotencyKey, result, links, resolvedIntents);
      effects.push({ effect, result });
    }
    signal.throwIfAborted();
    const summary = summarize(plan, effects, refusals);
    await store.completeJob(job, { summary, effects });
    log.info({ effects: effects.length }, `job done: ${summary}`);
  } catch (error) {
    // Once the job may no longer write, why it stopped is the signal's reason, whatever was thrown.
    await settleFailedJob(job, signal.aborted ? signal.reason : error, store, log, policy);
  }
}

function summarize(
  plan: PlannedEffects<PlannedEffect>,
  effects: JobOutcome["effects"],
  refusals: string[],
): string {
  const refused = refusals.map((refusal) => `; ${refusal}`).join("");
  if (effects.length === 0) return `no effects: ${plan.reason ?? "nothing to do"}${refused}`;
  const counts = new Map<string, number>();
  for (const { result } of effects) counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
  const parts = [...counts].map(([status, count]) => `${count} ${status}`);
  return `${effects.length} effect${effects.length === 1 ? "" : "s"}: ${parts.join(", ")}${refused}`;
}
