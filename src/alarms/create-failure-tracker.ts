/** One source (a poller's namespace or Space) that has failed since its last success. */
interface OngoingFailure {
  source: string;
  since: Date;
  lastError: string;
}

export interface FailureTracker {
  /** A poll's outcome; a success clears the source, a failure starts its clock unless already running. */
  record(source: string, outcome: { ok: true } | { ok: false; error: string }, at: Date): void;
  /** Sources failing since longer than `thresholdMs` before `now`, oldest first. */
  failingLongerThan(thresholdMs: number, now: Date): OngoingFailure[];
}

/**
 * What pollers report, kept in memory for the alarm monitor: a source's clock starts at its first
 * failure after a success, so a poller that keeps failing is told apart from one that failed once.
 * A restart starts every clock again; the alarm then fires a threshold later at the latest.
 */
export function createFailureTracker(): FailureTracker {
  const failing = new Map<string, OngoingFailure>();
  return {
    record(source, outcome, at) {
      if (outcome.ok) {
        failing.delete(source);
        return;
      }
      const known = failing.get(source);
      failing.set(source, { source, since: known?.since ?? at, lastError: outcome.error });
    },
    failingLongerThan(thresholdMs, now) {
      return [...failing.values()]
        .filter((failure) => now.getTime() - failure.since.getTime() > thresholdMs)
        .sort((a, b) => a.since.getTime() - b.since.getTime());
    },
  };
}
