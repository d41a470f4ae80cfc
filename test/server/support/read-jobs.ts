import { DatabaseSync } from "node:sqlite";
import type { JobOutcome, JobState } from "../../../src/store/store.ts";
import { storedText } from "../../../src/store/stored-text.ts";

export interface JobRow {
  deliveryId: number;
  state: JobState;
  attempts: number;
  lastError: string | null;
  outcome: JobOutcome | null;
}

/**
 * Every job in a bridge's SQLite file, read without a store (the bridge process owns the file and
 * keeps writing it; a read-only connection sees its committed state).
 */
export function readJobs(dbPath: string): JobRow[] {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const rows = db
      .prepare(
        "SELECT delivery_id, state, attempts, last_error, outcome, outcome_packed FROM jobs ORDER BY delivery_id",
      )
      .all() as Array<Record<string, unknown>>;
    return rows.map((row) => ({
      deliveryId: row.delivery_id as number,
      state: row.state as JobState,
      attempts: row.attempts as number,
      lastError: row.last_error as string | null,
      outcome:
        row.outcome === null && row.outcome_packed === null
          ? null
          : (JSON.parse(storedText(row.outcome_packed, row.outcome)) as JobOutcome),
    }));
  } finally {
    db.close();
  }
}
