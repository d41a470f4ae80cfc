import type { AttemptRecord } from "./store.ts";

/** An attempts row as both backends select it; they decode the time themselves. */
export function toAttempt(row: Record<string, unknown>, endedAt: Date): AttemptRecord {
  const attempt: AttemptRecord = {
    attempt: row.attempt as number,
    outcome: row.outcome as AttemptRecord["outcome"],
    endedAt,
  };
  if (row.error !== null && row.error !== undefined) attempt.error = row.error as string;
  return attempt;
}
