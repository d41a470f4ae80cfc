import type { PostgresDb } from "./postgres-db.ts";

/** Pruning deletes in bulk, off the request path; a backlog may take this long to clear. */
const PRUNE_TIMEOUT_MS = 60_000;

/** The store's `prune`: deletes old finished deliveries with their jobs, attempts and stale intents. */
export function prunePostgres(db: PostgresDb, olderThan: Date): Promise<number> {
  const longer = {
    timeoutMs: PRUNE_TIMEOUT_MS,
    setup: [`SET LOCAL statement_timeout = ${PRUNE_TIMEOUT_MS}`],
  };
  return db.transaction(
    "pruning old deliveries",
    async (client) => {
      // Deliveries whose dedupe record is old and whose job, if any, is finished; live and dead jobs stay.
      const { rows } = await client.query<{ delivery_id: number }>(
        `SELECT k.delivery_id FROM dedupe k LEFT JOIN jobs j ON j.delivery_id = k.delivery_id
           WHERE k.first_seen < $1 AND (j.id IS NULL OR j.state = 'done')
           FOR UPDATE OF k`,
        [olderThan],
      );
      // An intent outlives its delivery only while its job may still run (queued, running or dead).
      await client.query(
        `DELETE FROM intents i WHERE i.recorded_at < $1
             AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = i.job_id AND j.state <> 'done')`,
        [olderThan],
      );
      // A delivery with a sender id holds two dedupe rows.
      const ids = [...new Set(rows.map((row) => row.delivery_id))];
      if (ids.length === 0) return 0;
      await client.query(
        "DELETE FROM attempts WHERE job_id IN (SELECT id FROM jobs WHERE delivery_id = ANY($1::bigint[]))",
        [ids],
      );
      await client.query("DELETE FROM jobs WHERE delivery_id = ANY($1::bigint[])", [ids]);
      await client.query("DELETE FROM dedupe WHERE delivery_id = ANY($1::bigint[])", [ids]);
      await client.query("DELETE FROM deliveries WHERE id = ANY($1::bigint[])", [ids]);
      return ids.length;
    },
    longer,
  );
}
