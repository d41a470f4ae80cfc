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
