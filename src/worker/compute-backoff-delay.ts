export interface BackoffOptions {
  /** The delay ceiling before the first retry. */
  baseMs: number;
  /** No retry waits longer than this, however many attempts failed. */
  capMs: number;
}

/**
 * "Full jitter": a uniform wait between zero and the exponential ceiling, so jobs that failed together
 * (one GitHub outage) do not all come back at the same moment. `random` returns a number in [0, 1).
 */
export function computeBackoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number,
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
