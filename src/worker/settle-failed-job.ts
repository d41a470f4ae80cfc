import type { Logger } from "pino";
import { describeJobError } from "../jobs/describe-job-error.ts";
import {
  JobReleasedError,
  PermanentJobError,
  RetryLaterError,
  RetryNotBeforeError,
} from "../jobs/job-errors.ts";
import { type Job, LeaseLostError, type Store } from "../store/store.ts";

export interface FailurePolicy {
  maxAttempts: number;
  /** How long to wait before the next attempt, given the attempts made so far. */
  retryDelayMs(attempts: number): number;
  now(): Date;
}

/**
 * Puts a failed job where its error says it belongs: dead letters for a permanent error or once the
 * attempts are spent, a deferral (attempt not counted) for a wait, a backed-off retry otherwise.
 * A lost lease means another worker owns the job now, and a released job belongs to the queue again,
 * so for those nothing is written.
 */
export async function settleFailedJob(
  job: Job,
  error: unknown,
  store: Store,
  log: Logger,
  policy: FailurePolicy,
): Promise<void> {
  const message = describeJobError(error);
  try {
    if (error instanceof LeaseLostError) {
      log.warn({ err: error }, "lease lost while running; another worker owns the job now");
    } else if (error instanceof JobReleasedError) {
      log.info("stopped at shutdown; the job was given back and runs again later");
    } else if (error instanceof PermanentJobError) {
      await store.deadLetterJob(job, message);
      log.error({ err: error }, "permanent failure; job dead-lettered");
    } else if (error instanceof RetryLaterError) {
      await store.deferJob(job, error.notBefore, message);
      log.info({ notBefore: error.notBefore.toISOString() }, `deferred: ${error.message}`);
    } else if (job.attempts >= policy.maxAttempts) {
      await store.deadLetterJob(job, `gave up after ${job.attempts} attempts: ${message}`);
      log.error({ err: error, attempts: job.attempts }, "attempts spent; job dead-lettered");
    } else {
      const now = policy.now().getTime();
      const earliest = error instanceof RetryNotBeforeError ? error.notBefore.getTime() : now;
      const delayMs = Math.max(policy.retryDelayMs(job.attempts), earliest - now);
      await store.retryJob(job, message, new Date(now + delayMs));
      log.warn({ err: error, attempts: job.attempts, delayMs }, "attempt failed; retry scheduled");
    }
  } catch (settleError) {
    if (settleError instanceof LeaseLostError) {
      log.warn("lease lost before the failure was recorded; another worker owns the job now");
    } else {
      // Nothing is lost: the lease expires and the next claim runs the job again.
      log.error({ err: settleError, jobError: message }, "could not record the job's failure");
    }
  }
}
