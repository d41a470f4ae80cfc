/** huggingface_hub refreshes every 5 s while waiting; a stage change is looked at again that soon. */
export const SPACE_FIRST_DELAY_MS = 5_000;
/** Builds take minutes; an unchanged stage doubles the wait up to here, so a check lags 30 s at most. */
export const SPACE_MAX_DELAY_MS = 30_000;
/** Failed requests double the wait up to here, so a Hub outage costs a few requests an hour. */
export const SPACE_MAX_FAILURE_DELAY_MS = 10 * 60_000;
/** A Retry-After beyond an hour is more likely a broken header than a real instruction. */
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** How long a followed Space waits before its next runtime request. */
export function spacePollDelay(input: {
  /** The wait before the poll that just happened. */
  previousDelayMs: number;
  stageChanged: boolean;
  /** Failed polls in a row, the last one included; 0 after a success. */
  failures: number;
  retryAfterMs?: number;
}): number {
  if (input.failures > 0) {
    const backoff = Math.min(
      SPACE_MAX_FAILURE_DELAY_MS,
      SPACE_FIRST_DELAY_MS * 2 ** input.failures,
    );
    return Math.max(backoff, Math.min(input.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
  }
  if (input.stageChanged) return SPACE_FIRST_DELAY_MS;
  return Math.min(SPACE_MAX_DELAY_MS, input.previousDelayMs * 2);
}
