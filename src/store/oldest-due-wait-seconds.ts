import type { JobCounts } from "./store.ts";

/** How long the oldest due job has waited at `at`; 0 when none is due (or the clocks disagree). */
export function oldestDueWaitSeconds(counts: JobCounts, at: Date): number {
  if (!counts.oldestDueAt) return 0;
  return Math.max(0, (at.getTime() - counts.oldestDueAt.getTime()) / 1000);
}
