import type { DeliveryDisposition, JobState, Store } from "../store.ts";
import type { PostgresDb } from "./postgres-db.ts";

/** The console's two ways to run a job again: a dead letter replayed, a finished delivery re-run. */
export function createPostgresRequeueOperations(
  db: PostgresDb,
): Pick<Store, "replayDeadLetter" | "rerunDelivery"> {
  return {
    async replayDeadLetter(jobId) {
      const result = await db.query(
        `replaying dead job ${jobId}`,
        // Due by the bridge's clock, which the claim compares with (the server's now() has microseconds
        // a JavaScript Date does not, so a job due at now() was not yet due to a claim a moment later).
        `UPDATE jobs SET state = 'queued', attempts = 0, not_before = $2, updated_at = now()
         WHERE id = $1 AND state = 'dead'`,
        [jobId, new Date()],
      );
      return result.rowCount === 1;
    },

    rerunDelivery(deliveryId) {
      return db.transaction(`re-running delivery ${deliveryId}`, async (client) => {
        const { rows } = await client.query<{
          disposition: DeliveryDisposition;
          job_id: number | null;
          job_state: JobState | null;
        }>(
          `SELECT d.disposition, j.id AS job_id, j.state AS job_state
           FROM deliveries d LEFT JOIN jobs j ON j.delivery_id = d.id WHERE d.id = $1
           FOR UPDATE OF d`,
          [deliveryId],
        );
        const row = rows[0];
        if (!row) return { status: "missing" } as const;
        if (row.job_id === null) return { status: "no-job", disposition: row.disposition } as const;
        // A forced re-run starts from nothing: every effect is planned and executed again.
        const updated = await client.query(
          `UPDATE jobs SET state = 'queued', attempts = 0, not_before = $2, completed_effects = '{}',
             last_error = NULL, outcome = NULL, outcome_packed = NULL, updated_at = now()
           WHERE id = $1 AND state IN ('done', 'dead')`,
          [row.job_id, new Date()],
        );
        if (updated.rowCount === 1) return { status: "requeued", jobId: row.job_id } as const;
        return {
          status: "live",
          jobId: row.job_id,
          jobState: row.job_state as "queued" | "running",
        } as const;
      });
    },
  };
}
