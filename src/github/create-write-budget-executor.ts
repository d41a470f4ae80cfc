import type { Logger } from "pino";
import { discussionLinkKey } from "../effects/discussion-link-key.ts";
import type { Effect } from "../effects/effect.ts";
import { endpointCardLinkKey } from "../effects/endpoint-card-link-key.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../jobs/executor.ts";
import { PermanentJobError } from "../jobs/job-errors.ts";
import type { WriteSchedule } from "../store/write-schedule.ts";
import { wroteNothing } from "../store/wrote-nothing.ts";

/**
 * Writes one thread (a mirrored discussion, an endpoint card) may take per hour. A lively Hub thread
 * makes a few dozen; a loop between GitHub and the Hub makes hundreds, and this stops it.
 */
const THREAD_WRITES_PER_HOUR = 120;
const HOUR_MS = 60 * 60_000;
/**
 * Counts the GitHub writes each thread received in the last hour, whatever their result (a dispatch
 * is "accepted", not "done"), and past the budget dead-letters the job with an alert instead of
 * writing: whatever loops is stopped and shown to an operator.
 * Counts are kept per process, or in the shared schedule when replicas share a store, so the budget
 * is the fleet's.
 */
export function createWriteBudgetExecutor(options: {
  inner: Executor;
  logger: Logger;
  writesPerHour?: number;
  now?: () => number;
  /** Several replicas on one store: the writes are counted there. */
  fleet?: WriteSchedule;
}): Executor {
  const { inner, logger } = options;
  const limit = options.writesPerHour ?? THREAD_WRITES_PER_HOUR;
  const now = options.now ?? (() => Date.now());
  const writes = new Map<string, number[]>();
  const { fleet } = options;

  async function countWrites(thread: string, record: boolean): Promise<number> {
    const since = now() - HOUR_MS;
    if (fleet) return fleet.countThreadWrites(thread, since, record ? { at: now() } : undefined);
    // Read again on record: other jobs on the same thread may have written meanwhile.
    const recent = (writes.get(thread) ?? []).filter((at) => at > since);
    writes.set(thread, record ? [...recent, now()] : recent);
    return recent.length + (record ? 1 : 0);
  }

  async function execute(effect: Effect, context: ExecutionContext): Promise<ExecutedEffect> {
    const thread = threadOf(context.job.event, effect);
    const written = await countWrites(thread, false);
    if (written >= limit) {
      const message = `write budget spent: ${thread} received ${written} GitHub writes in the last hour (at most ${limit}), which looks like a loop between GitHub and the Hub; the job is dead-lettered instead of writing — find what keeps writing to this thread, then replay it with "hf-bridge replay ${context.job.id}"`;
      logger.error({ thread, jobId: context.job.id, writes: written }, message);
      throw new PermanentJobError(message);
    }
    const result = await inner.execute(effect, context);
    // Every result but "planned" and "skipped" (done, accepted, …) is a write.
    await countWrites(thread, !wroteNothing(result));
    return result;
  }

  return { mode: inner.mode, execute };
}

function threadOf(event: BridgeEvent, effect: Effect): string {
  if ("discussion" in event) return discussionLinkKey(event.repo, event.discussion);
  if (event.kind === "endpoint.state-changed") {
    return endpointCardLinkKey(event.endpoint.namespace, event.endpoint.name);
  }
  return `${effect.repo.owner}/${effect.repo.repo}:${event.kind}`;
}
