/**
 * Milliseconds on the process's monotonic clock, the same in every thread: store deadlines are set
 * on the calling thread and checked on the SQLite thread, and a wall clock (or a test's fake one)
 * could jump between the two.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}
