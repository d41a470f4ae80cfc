/** The job cannot succeed as it is (GitHub said 422, 404, …): dead-letter it at once with the reason. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobError";
  }
}

/** A wait the job must sit out (rate limit, throttle window): defer it without counting an attempt. */
export class RetryLaterError extends Error {
  readonly notBefore: Date;
  constructor(message: string, notBefore: Date) {
    super(message);
    this.name = "RetryLaterError";
    this.notBefore = notBefore;
  }
}

/**
 * An ordinary failure (the attempt counts) whose retry must not start before `notBefore`, e.g. a
 * create whose answer was lost: it may still land until then, so looking earlier would prove nothing.
 */
export class RetryNotBeforeError extends Error {
  readonly notBefore: Date;
  constructor(message: string, notBefore: Date) {
    super(message);
    this.name = "RetryNotBeforeError";
    this.notBefore = notBefore;
  }
}

/** Why a job's signal was aborted when its worker gave it back (shutdown): nothing more is recorded. */
export class JobReleasedError extends Error {
  constructor(jobId: number) {
    super(`job ${jobId}: given back to the queue at shutdown; its remaining writes were not sent`);
    this.name = "JobReleasedError";
  }
}
