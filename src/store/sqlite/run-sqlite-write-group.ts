import type { DatabaseSync } from "node:sqlite";

/** One write of a group: it runs in its own savepoint, so its failure leaves its neighbours' writes. */
export interface GroupedWrite {
  run: () => unknown;
  /**
   * The queue recovers this write's loss in a crash by itself (a claim, a lease renewal, a
   * completion), so it needs no fsync of its own; see `writeRecoverable` in create-sqlite-operations.ts.
   */
  recoverable: boolean;
}

export type GroupedOutcome = { ok: true; result: unknown } | { ok: false; error: unknown };

/**
 * Writes that queued on the SQLite thread together share one transaction and so one commit: with
 * synchronous=FULL when any of them must be durable on its own, NORMAL otherwise (the next FULL commit
 * covers those, as the WAL is written in order). Outcomes are known only once the commit is done, and
 * only then may a caller be answered. Throws, with nothing written, when the commit itself fails;
 * `onRolledBack` then undoes what the writes changed outside the file.
 */
export function runSqliteWriteGroup(
  db: DatabaseSync,
  writes: readonly GroupedWrite[],
  onRolledBack: () => void,
): GroupedOutcome[] {
  const durable = writes.some((write) => !write.recoverable);
  // The safety level cannot change inside a transaction, so it is set for the whole group first.
  if (!durable) db.exec("PRAGMA synchronous = NORMAL");
  let begun = false;
  try {
    db.exec("BEGIN IMMEDIATE");
    begun = true;
    const outcomes = writes.map((write): GroupedOutcome => {
      try {
        return { ok: true, result: write.run() };
      } catch (error) {
        return { ok: false, error };
      }
    });
    db.exec("COMMIT");
    return outcomes;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    if (begun) onRolledBack();
    throw error;
  } finally {
    if (!durable) db.exec("PRAGMA synchronous = FULL");
  }
}
