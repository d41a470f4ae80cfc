import { randomUUID } from "node:crypto";
import type { BridgeEvent } from "../../events/bridge-event.ts";
import { packText } from "../pack-text.ts";
import { type AttemptRecord, type Job, LeaseLostError, type Store } from "../store.ts";
import { POSTGRES_CLAIM_SQL } from "./postgres-claim-sql.ts";
import type { PostgresDb } from "./postgres-db.ts";
import { POSTGRES_HELD_JOB } from "./postgres-held-job.ts";
import { postgresStoredJson } from "./postgres-stored-json.ts";

/** Claiming a job and the state changes of a claimed one, each refused once its lease was lost. */
export function createPostgresJobOperations(
  db: PostgresDb,
): Pick<
  Store,
  | "claimJob"
  | "renewLease"
  | "completeJob"
  | "retryJob"
  | "deadLetterJob"
  | "releaseJob"
  | "deferJob"
> {
  async function mutateHeldJob(
    operation: string,
    job: Job,
    set: string,
    values: unknown[],
    attempt?: { outcome: AttemptRecord["outcome"]; error: string | null },
  ) {
    const update = `UPDATE jobs SET ${set}, lease_token = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE ${POSTGRES_HELD_JOB}`;
    // An ended attempt is recorded by the same statement: both happen, or neither (lease lost).
    const n = values.length + 3;
    const result = attempt
      ? await db.query(
          operation,
          `WITH held AS (${update} RETURNING id, attempts)
           INSERT INTO attempts (job_id, attempt, outcome, error, ended_at)
           SELECT id, attempts, $${n}, $${n + 1}, now() FROM held`,
          [job.id, job.leaseToken, ...values, attempt.outcome, attempt.error],
        )
      : await db.query(operation, update, [job.id, job.leaseToken, ...values]);
    if (result.rowCount === 0) throw new LeaseLostError(job.id);
  }

  return {
    async claimJob({ workerId, leaseMs, now = new Date() }) {
      const { rows } = await db.query("claiming a job", POSTGRES_CLAIM_SQL, [
        randomUUID(),
        new Date(now.getTime() + leaseMs),
        workerId,
        now,
      ]);
      const row = rows[0];
      if (!row) return undefined;
      return {
        id: row.id as number,
        deliveryId: row.delivery_id as number,
        event: postgresStoredJson(row.event_packed, row.event) as BridgeEvent,
        attempts: row.attempts as number,
        leaseToken: row.lease_token as string,
        leaseExpiresAt: row.lease_expires_at as Date,
        completedEffects: row.completed_effects as Job["completedEffects"],
      };
    },

    async renewLease(job, leaseMs, now) {
      const expiresAt = new Date(now.getTime() + leaseMs);
      const result = await db.query(
        `renewing the lease of job ${job.id}`,
        `UPDATE jobs SET lease_expires_at = $3, updated_at = now() WHERE ${POSTGRES_HELD_JOB}`,
        [job.id, job.leaseToken, expiresAt],
      );
      if (result.rowCount === 0) throw new LeaseLostError(job.id);
      return expiresAt;
    },

    completeJob(job, outcome) {
      return mutateHeldJob(
        `completing job ${job.id}`,
        job,
        "state = 'done', outcome_packed = $3",
        [packText(JSON.stringify(outcome))],
        { outcome: "done", error: null },
      );
    },

    retryJob(job, error, notBefore) {
      return mutateHeldJob(
        `scheduling a retry of job ${job.id}`,
        job,
        "state = 'queued', not_before = $3, last_error = $4",
        [notBefore, error],
        { outcome: "retry", error },
      );
    },

    deadLetterJob(job, error) {
      return mutateHeldJob(
        `dead-lettering job ${job.id}`,
        job,
        "state = 'dead', last_error = $3",
        [error],
        { outcome: "dead", error },
      );
    },

    releaseJob(job) {
      return mutateHeldJob(
        `releasing job ${job.id}`,
        job,
        "state = 'queued', attempts = attempts - 1",
        [],
      );
    },

    deferJob(job, notBefore, reason) {
      return mutateHeldJob(
        `deferring job ${job.id}`,
        job,
        "state = 'queued', attempts = attempts - 1, not_before = $3, last_error = $4",
        [notBefore, reason],
      );
    },
  };
}
