/** huggingface_hub's own `wait()` refreshes every 5 s; closer watching would only cost requests. */
export const TRANSITIONAL_INTERVAL_MS = 5_000;
/** Failures double the wait up to here, so an outage costs a few requests an hour, not thousands. */
export const MAX_BACKOFF_MS = 10 * 60_000;
/** A Retry-After beyond an hour is more likely a broken header than a real instruction. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

export interface PollDelayInput {
  intervalMs: number;
  /** Some watched endpoint is pending, initializing or updating. */
  transitional: boolean;
  /** Failed polls in a row, the last one included; 0 after a success. */
  failures: number;
  retryAfterMs?: number;
}

/** How long a namespace waits before its next list request. */
export function nextPollDelay(input: PollDelayInput): number {
  if (input.failures === 0) {
    return input.transitional
      ? Math.min(input.intervalMs, TRANSITIONAL_INTERVAL_MS)
      : input.intervalMs;
  }
  const backoff = Math.min(MAX_BACKOFF_MS, input.intervalMs * 2 ** input.failures);
  return Math.max(backoff, Math.min(input.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}
