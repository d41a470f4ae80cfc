import { randomUUID } from "node:crypto";
import type { PoolClient, QueryResultRow } from "pg";
import pg from "pg";
import type { BridgeEvent } from "../../events/bridge-event.ts";
import { asStoreUnavailable } from "../as-store-unavailable.ts";
import { checkDeliveryQuery } from "../check-delivery-query.ts";
import { checkListLimit } from "../check-list-limit.ts";
import { createGroupCommit } from "../create-group-commit.ts";
import { monotonicMs } from "../monotonic-ms.ts";
import type { PreparedDelivery } from "../prepare-delivery.ts";
import {
  type AttemptRecord,
  type CreateIntent,
  type DeliveryDetail,
  type DeliveryDisposition,
  type DeliverySummary,
  type EffectResult,
  type Job,
  type JobOutcome,
  type JobState,
  LeaseLostError,
  type Link,
  type LinkInput,
  type RecordDeliveryResult,
  type Store,
  StoreUnavailableError,
} from "../store.ts";
import { submitDelivery } from "../submit-delivery.ts";
import { toAttempt } from "../to-attempt.ts";
import { toDeliveryPage } from "../to-delivery-page.ts";
import { toDeliverySummary } from "../to-delivery-summary.ts";
import { createPostgresWriteSchedule } from "./create-postgres-write-schedule.ts";
import { migratePostgres } from "./migrate-postgres.ts";
import { POSTGRES_CLAIM_SQL } from "./postgres-claim-sql.ts";
import { runOnPostgresClient } from "./run-on-postgres-client.ts";
import { writePostgresDeliveryBatch } from "./write-postgres-delivery-batch.ts";

/** Bounds one transaction's size, so a burst cannot hold row locks for long. */
const MAX_DELIVERY_BATCH = 512;
/** Enough for the HTTP edge's batches, the worker and the inspection pages at once. */
const POOL_SIZE = 10;
/**
 * Every store call settles within this, waiting for a connection and behind earlier calls included:
 * a webhook ack must be answered (503 at worst) within 2 s, and the HTTP edge needs the rest.
 */
const ANSWER_WITHIN_MS = 1_500;
/** A database that accepts no connection (or a pool that frees no slot) in this time is down or swamped. */
const CONNECT_TIMEOUT_MS = 1_000;
/** Server side: the bridge's statements take milliseconds; a slow one is cancelled and frees its locks. */
const STATEMENT_TIMEOUT_MS = 1_000;
/** Server side: a lock held by another session (a migration, a LOCK TABLE) fails the statement instead of queueing it. */
const LOCK_TIMEOUT_MS = 1_000;
/** Server side: a transaction whose bridge vanished (killed, or half-open) must not hold its locks until TCP gives up. */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;
/** Pruning deletes in bulk, off the request path; a backlog may take this long to clear. */
const PRUNE_TIMEOUT_MS = 60_000;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8_OID = 20;

const SUMMARY_SELECT = `
  SELECT d.id, d.source, d.received_at, d.dedupe_key, d.webhook_id, d.disposition, d.reason, d.event_kind,
    d.duplicates, j.id AS job_id, j.state AS job_state, j.attempts, j.last_error, j.outcome,
    j.not_before, j.event -> 'repo' ->> 'name' AS hub_repo
  FROM deliveries d LEFT JOIN jobs j ON j.delivery_id = d.id`;

/** The one-word state of DeliveryState, from the delivery and its job (if any). */
const DELIVERY_STATE = `CASE WHEN j.id IS NULL THEN d.disposition
  WHEN j.state = 'queued' AND j.attempts > 0 THEN 'retrying' ELSE j.state END`;

const HELD = "id = $1 AND state = 'running' AND lease_token = $2";

type Row = Record<string, unknown>;

/**
 * The store for several replicas: PostgreSQL through a connection pool. Claims use
 * FOR UPDATE SKIP LOCKED so replicas never hand out the same job; deliveries are group-committed.
 */
export async function createPostgresStore(options: {
  connectionString: string;
  schema?: string;
}): Promise<Store> {
  const schema = options.schema ?? "public";
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `PostgreSQL schema ${JSON.stringify(schema)} is not a plain lower-case identifier; use letters, digits and underscores (e.g. "hf_bridge")`,
    );
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Notices a peer that vanished without a reset while the connection idles in the pool.
    keepAlive: true,
    options: [
      `-c search_path=${schema}`,
      `-c statement_timeout=${STATEMENT_TIMEOUT_MS}`,
      `-c lock_timeout=${LOCK_TIMEOUT_MS}`,
      `-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_TIMEOUT_MS}`,
    ].join(" "),
    // Ids are bigserial; JavaScript numbers hold them exactly far beyond any realistic count.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID
          ? Number
          : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client dropped by the server must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  try {
    await migratePostgres(pool, schema);
  } catch (error) {
    await pool.end();
    throw new StoreUnavailableError(
      `PostgreSQL store (schema "${schema}") cannot be opened: ${error instanceof Error ? error.message : String(error)}; check the connection string and that the user may create tables`,
      { cause: error },
    );
  }
  let closed = false;

  async function transaction<T>(
    operation: string,
    body: (client: PoolClient) => Promise<T>,
    options: { waitingSince?: number; timeoutMs?: number; setup?: readonly string[] } = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? ANSWER_WITHIN_MS;
    const waited = options.waitingSince === undefined ? 0 : monotonicMs() - options.waitingSince;
    try {
      if (closed) throw new Error("the store is closed");
      return await runOnPostgresClient(
        pool,
        {
          timeoutMs: timeoutMs - waited,
          transaction: true,
          ...(options.setup ? { setup: options.setup } : {}),
        },
        body,
      );
    } catch (error) {
      throw asStoreUnavailable(operation, error);
    }
  }

  async function query<R extends QueryResultRow = Row>(
    operation: string,
    text: string,
    values: unknown[],
  ) {
    try {
      if (closed) throw new Error("the store is closed");
      return await runOnPostgresClient(
        pool,
        { timeoutMs: ANSWER_WITHIN_MS, transaction: false },
        (client) => client.query<R>(text, values),
      );
    } catch (error) {
      throw asStoreUnavailable(operation, error);
    }
  }

  async function mutateHeldJob(
    operation: string,
    job: Job,
    set: string,
    values: unknown[],
    attempt?: { outcome: AttemptRecord["outcome"]; error: string | null },
  ) {
    const update = `UPDATE jobs SET ${set}, lease_token = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE ${HELD}`;
    // An ended attempt is recorded by the same statement: both happen, or neither (lease lost).
    const n = values.length + 3;
    const result = attempt
      ? await query(
          operation,
          `WITH held AS (${update} RETURNING id, attempts)
           INSERT INTO attempts (job_id, attempt, outcome, error, ended_at)
           SELECT id, attempts, $${n}, $${n + 1}, now() FROM held`,
          [job.id, job.leaseToken, ...values, attempt.outcome, attempt.error],
        )
      : await query(operation, update, [job.id, job.leaseToken, ...values]);
    if (result.rowCount === 0) throw new LeaseLostError(job.id);
  }

  const deliveries = createGroupCommit<PreparedDelivery, RecordDeliveryResult>({
    maxBatch: MAX_DELIVERY_BATCH,
    commit: (items, waitingSince) =>
      transaction(
        `recording ${items.length} deliveries`,
        (client) => writePostgresDeliveryBatch(client, items),
        { waitingSince },
      ),
  });

  return {
    shared: true,
    writeSchedule: createPostgresWriteSchedule({ query, transaction }),
    recordDelivery: (delivery) => submitDelivery(deliveries, closed, delivery),

    async claimJob({ workerId, leaseMs, now = new Date() }) {
      const { rows } = await query("claiming a job", POSTGRES_CLAIM_SQL, [
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
        event: row.event as BridgeEvent,
        attempts: row.attempts as number,
        leaseToken: row.lease_token as string,
        leaseExpiresAt: row.lease_expires_at as Date,
        completedEffects: row.completed_effects as Job["completedEffects"],
      };
    },

    recordEffect(job, idempotencyKey, result, links = [], resolvedIntents = []) {
      return transaction(
        `recording effect "${idempotencyKey}" of job ${job.id}`,
        async (client) => {
          const updated = await client.query(
            `UPDATE jobs SET completed_effects = completed_effects || jsonb_build_object($3::text, $4::jsonb),
             updated_at = now()
           WHERE ${HELD}`,
            [job.id, job.leaseToken, idempotencyKey, JSON.stringify(result)],
          );
          if (updated.rowCount === 0) throw new LeaseLostError(job.id);
          for (const link of links) await upsertLink(client, link);
          if (resolvedIntents.length > 0) {
            await client.query("DELETE FROM intents WHERE key = ANY($1::text[])", [
              resolvedIntents,
            ]);
          }
        },
      );
    },

    async renewLease(job, leaseMs, now) {
      const expiresAt = new Date(now.getTime() + leaseMs);
      const result = await query(
        `renewing the lease of job ${job.id}`,
        `UPDATE jobs SET lease_expires_at = $3, updated_at = now() WHERE ${HELD}`,
        [job.id, job.leaseToken, expiresAt],
      );
      if (result.rowCount === 0) throw new LeaseLostError(job.id);
      return expiresAt;
    },

    completeJob(job, outcome) {
      return mutateHeldJob(
        `completing job ${job.id}`,
        job,
        "state = 'done', outcome = $3",
        [JSON.stringify(outcome)],
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

    async listDeliveries({ limit }) {
      const { rows } = await query(
        "listing deliveries",
        `${SUMMARY_SELECT} ORDER BY d.id DESC LIMIT $1`,
        [checkListLimit("listDeliveries", limit)],
      );
      return rows.map(toSummary);
    },

    async getDelivery(id) {
      const { rows } = await query(`reading delivery ${id}`, `${SUMMARY_SELECT} WHERE d.id = $1`, [
        id,
      ]);
      return rows[0] ? toSummary(rows[0]) : undefined;
    },

    async listDeliveryPage(input) {
      const q = checkDeliveryQuery(input);
      // Unset filters are NULL, so one statement serves every combination.
      const { rows } = await query(
        "listing a page of deliveries",
        `${SUMMARY_SELECT}
         WHERE ($2::bigint IS NULL OR d.id < $2)
           AND ($3::text IS NULL OR d.event_kind = $3)
           AND ($4::text IS NULL OR j.event -> 'repo' ->> 'name' = $4)
           AND ($5::text IS NULL OR ${DELIVERY_STATE} = $5)
         ORDER BY d.id DESC LIMIT $1`,
        [q.limit + 1, q.beforeId ?? null, q.eventKind ?? null, q.hubRepo ?? null, q.state ?? null],
      );
      return toDeliveryPage(rows.map(toSummary), q.limit);
    },

    async getDeliveryDetail(id) {
      const { rows } = await query(
        `reading delivery ${id} in full`,
        `SELECT s.*, d.body, d.headers, j.event, j.completed_effects
         FROM (${SUMMARY_SELECT} WHERE d.id = $1) s
         JOIN deliveries d ON d.id = s.id LEFT JOIN jobs j ON j.id = s.job_id`,
        [id],
      );
      const row = rows[0];
      if (!row) return undefined;
      const detail: DeliveryDetail = {
        summary: toSummary(row),
        body: row.body as string,
        headers: row.headers as Record<string, string>,
        completedEffects: (row.completed_effects as Record<string, EffectResult> | null) ?? {},
        attempts: [],
      };
      if (row.job_id !== null) {
        const attempts = await query(
          `reading the attempts of job ${row.job_id}`,
          "SELECT attempt, outcome, error, ended_at FROM attempts WHERE job_id = $1 ORDER BY id",
          [row.job_id],
        );
        detail.attempts = attempts.rows.map((a) => toAttempt(a, a.ended_at as Date));
      }
      if (row.event !== null) detail.event = row.event as BridgeEvent;
      return detail;
    },

    async countJobs(now) {
      const { rows } = await query(
        "counting jobs",
        // One partial index each, so counting reads live and dead jobs only, never the done ones.
        `SELECT (SELECT count(*) FROM jobs WHERE state = 'queued')::int AS queued,
           (SELECT count(*) FROM jobs WHERE state = 'running')::int AS running,
           (SELECT count(*) FROM jobs WHERE state = 'dead')::int AS dead,
           (SELECT min(not_before) FROM jobs WHERE state = 'queued' AND not_before <= $1) AS oldest_due`,
        [now],
      );
      const row = rows[0] as Row;
      return {
        queued: row.queued as number,
        running: row.running as number,
        dead: row.dead as number,
        oldestDueAt: (row.oldest_due as Date | null) ?? undefined,
      };
    },

    async listDeadLetters({ limit }) {
      const { rows } = await query(
        "listing dead letters",
        `SELECT j.id, j.delivery_id, j.event, j.attempts, j.last_error, j.updated_at, d.body
         FROM jobs j JOIN deliveries d ON d.id = j.delivery_id
         WHERE j.state = 'dead' ORDER BY j.updated_at DESC, j.id DESC LIMIT $1`,
        [checkListLimit("listDeadLetters", limit)],
      );
      return rows.map((row) => ({
        jobId: row.id as number,
        deliveryId: row.delivery_id as number,
        event: row.event as BridgeEvent,
        attempts: row.attempts as number,
        lastError: (row.last_error as string | null) ?? "",
        failedAt: row.updated_at as Date,
        body: row.body as string,
      }));
    },

    async replayDeadLetter(jobId) {
      const result = await query(
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
      return transaction(`re-running delivery ${deliveryId}`, async (client) => {
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
             last_error = NULL, outcome = NULL, updated_at = now()
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

    async getLink(key) {
      const { rows } = await query(`reading link "${key}"`, "SELECT * FROM links WHERE key = $1", [
        key,
      ]);
      const row = rows[0];
      if (!row) return undefined;
      const link: Link = {
        key: row.key as string,
        kind: row.kind as string,
        repo: row.repo as string,
        githubId: row.github_id as number,
        updatedAt: row.updated_at as Date,
      };
      if (row.github_number !== null) link.githubNumber = row.github_number as number;
      if (row.state !== null) link.state = row.state as Record<string, unknown>;
      return link;
    },

    putLink(link) {
      return transaction(`writing link "${link.key}"`, (client) => upsertLink(client, link));
    },

    async getIntent(key) {
      const { rows } = await query(
        `reading the create intent "${key}"`,
        "SELECT * FROM intents WHERE key = $1",
        [key],
      );
      return rows[0] ? toIntent(rows[0]) : undefined;
    },

    async dropIntent(intent) {
      await query(
        `dropping the create intent "${intent.key}"`,
        "DELETE FROM intents WHERE key = $1 AND token = $2",
        [intent.key, intent.token],
      );
    },

    recordIntent(job, intent, { replacing, now }) {
      return transaction(
        `recording the create intent "${intent.key}" of job ${job.id}`,
        async (client) => {
          // FOR SHARE holds off a claim that would take the job over until this commits.
          const held = await client.query(`SELECT 1 FROM jobs WHERE ${HELD} FOR SHARE`, [
            job.id,
            job.leaseToken,
          ]);
          if (held.rowCount === 0) throw new LeaseLostError(job.id);
          const values = [intent.key, intent.kind, intent.repo, job.id, randomUUID(), now];
          const { rows } =
            replacing === undefined
              ? await client.query(
                  `INSERT INTO intents (key, kind, repo, job_id, token, recorded_at)
                   VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING RETURNING *`,
                  values,
                )
              : await client.query(
                  `UPDATE intents SET kind = $2, repo = $3, job_id = $4, token = $5, recorded_at = $6
                   WHERE key = $1 AND token = $7 RETURNING *`,
                  [...values, replacing.token],
                );
          if (!rows[0]) return undefined;
          // After the insert, which waits for a job that is linking the key right now: a link
          // created since this job looked means the create happened, and must not happen again.
          const linked = await client.query("SELECT 1 FROM links WHERE key = $1", [intent.key]);
          if (linked.rowCount !== 0) {
            await client.query("DELETE FROM intents WHERE key = $1 AND token = $2", [
              intent.key,
              rows[0].token,
            ]);
            return undefined;
          }
          return toIntent(rows[0]);
        },
      );
    },

    async getState(key) {
      const { rows } = await query(
        `reading state "${key}"`,
        "SELECT value FROM state WHERE key = $1",
        [key],
      );
      return rows[0] ? rows[0].value : undefined;
    },

    async setState(key, value) {
      if (value === undefined) {
        throw new Error(`setState: value for "${key}" is undefined; store null to clear it`);
      }
      await query(
        `writing state "${key}"`,
        `INSERT INTO state (key, value, updated_at) VALUES ($1, $2::jsonb, now())
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [key, JSON.stringify(value)],
      );
    },

    async insertStateIfAbsent(key, value) {
      if (value === undefined) {
        throw new Error(
          `insertStateIfAbsent: value for "${key}" is undefined; pass the value to keep (null allowed)`,
        );
      }
      // The insert waits out a racing insert of the same key; when it lost, the row that won is read
      // by a second statement (a statement's snapshot predates the winner's commit).
      const { rows } = await query(
        `creating state "${key}"`,
        `INSERT INTO state (key, value, updated_at) VALUES ($1, $2::jsonb, now())
         ON CONFLICT (key) DO NOTHING RETURNING value`,
        [key, JSON.stringify(value)],
      );
      if (rows[0]) return rows[0].value;
      const kept = await query(`reading state "${key}"`, "SELECT value FROM state WHERE key = $1", [
        key,
      ]);
      return kept.rows[0]?.value;
    },

    async claimLease({ name, holder, ttlMs, now }) {
      const expiresAt = new Date(now.getTime() + ttlMs);
      // Granted when free, expired or already ours (the conflict re-checks the newest row version);
      // when refused, a second statement reads who holds it.
      const { rows } = await query<{ expires_at: Date }>(
        `claiming the lease "${name}" for ${holder}`,
        `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE leases.holder = excluded.holder OR leases.expires_at <= $4
         RETURNING name, holder, expires_at`,
        [name, holder, expiresAt, now],
      );
      const granted = rows[0];
      if (granted) {
        return { name, holder, expiresAt: new Date(granted.expires_at), held: true };
      }
      const other = await query<{ holder: string; expires_at: Date }>(
        `reading the lease "${name}"`,
        "SELECT holder, expires_at FROM leases WHERE name = $1",
        [name],
      );
      const row = other.rows[0];
      // Released between the two statements: nobody holds it; the next claim takes it.
      if (!row) return { name, holder: "", expiresAt: now, held: false };
      return { name, holder: row.holder, expiresAt: new Date(row.expires_at), held: false };
    },

    async releaseLease(name, holder) {
      await query(
        `releasing the lease "${name}" of ${holder}`,
        "DELETE FROM leases WHERE name = $1 AND holder = $2",
        [name, holder],
      );
    },

    async listLeases() {
      const { rows } = await query<{ name: string; holder: string; expires_at: Date }>(
        "listing leases",
        "SELECT name, holder, expires_at FROM leases ORDER BY name",
        [],
      );
      return rows.map((row) => ({
        name: row.name,
        holder: row.holder,
        expiresAt: new Date(row.expires_at),
      }));
    },

    prune(olderThan) {
      const longer = {
        timeoutMs: PRUNE_TIMEOUT_MS,
        setup: [`SET LOCAL statement_timeout = ${PRUNE_TIMEOUT_MS}`],
      };
      return transaction(
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
    },

    async close() {
      if (closed) return;
      await deliveries.drain();
      closed = true;
      await pool.end();
    },
  };
}

async function upsertLink(client: { query: PoolClient["query"] }, link: LinkInput): Promise<void> {
  await client.query(
    `INSERT INTO links (key, kind, repo, github_id, github_number, state, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, now())
     ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, repo = excluded.repo,
       github_id = excluded.github_id, github_number = excluded.github_number,
       state = excluded.state, updated_at = excluded.updated_at`,
    [
      link.key,
      link.kind,
      link.repo,
      link.githubId,
      link.githubNumber ?? null,
      link.state === undefined ? null : JSON.stringify(link.state),
    ],
  );
  // The link is the create's recorded result.
  await client.query("DELETE FROM intents WHERE key = $1", [link.key]);
}

function toIntent(row: Row): CreateIntent {
  return {
    key: row.key as string,
    kind: row.kind as string,
    repo: row.repo as string,
    jobId: row.job_id as number,
    token: row.token as string,
    recordedAt: row.recorded_at as Date,
  };
}

function toSummary(row: Row): DeliverySummary {
  return toDeliverySummary(row, {
    receivedAt: row.received_at as Date,
    outcome: row.outcome === null ? undefined : (row.outcome as JobOutcome),
    notBefore: (row.not_before as Date | null) ?? undefined,
  });
}
