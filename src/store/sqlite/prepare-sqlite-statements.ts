import type { DatabaseSync, StatementSync } from "node:sqlite";
import { FIND_DUE_JOB_SQL } from "./find-due-job-sql.ts";

const SUMMARY_COLUMNS = `
  d.id, d.source, d.received_at, d.dedupe_key, d.webhook_id, d.disposition, d.reason, d.event_kind, d.duplicates,
  j.id AS job_id, j.state AS job_state, j.attempts, j.last_error, j.outcome,
  j.outcome_packed, j.not_before,
  j.hub_repo`;

/** The one-word state of DeliveryState, from the delivery and its job (if any). */
const DELIVERY_STATE = `CASE WHEN j.id IS NULL THEN d.disposition
  WHEN j.state = 'queued' AND j.attempts > 0 THEN 'retrying' ELSE j.state END`;

const JOB_COLUMNS =
  "id, delivery_id, event, event_packed, attempts, lease_token, lease_expires_at, completed_effects";

const SQL = {
  countDuplicate: "UPDATE deliveries SET duplicates = duplicates + 1 WHERE id = :id",
  insertDelivery: `
    INSERT INTO deliveries (source, received_at, dedupe_key, dedupe_hash, webhook_id, webhook_hash, body, body_packed, headers, headers_packed, disposition, reason, event_kind)
    VALUES (:source, :receivedAt, :dedupeKey, :dedupeHash, :webhookId, :webhookHash, '', :bodyPacked, '', :headersPacked, :disposition, :reason, :eventKind)`,
  insertJob: `
    INSERT INTO jobs (delivery_id, state, event, event_packed, hub_repo, not_before, updated_at)
    VALUES (:deliveryId, 'queued', '', :eventPacked, :hubRepo, :notBefore, :now)`,
  findDueJob: FIND_DUE_JOB_SQL,
  leaseJob: `
    UPDATE jobs SET state = 'running', lease_token = :token, lease_expires_at = :expiresAt,
      worker_id = :workerId, attempts = attempts + 1, updated_at = :now
    WHERE id = :id
    RETURNING ${JOB_COLUMNS}`,
  heldEffects:
    "SELECT completed_effects FROM jobs WHERE id = :id AND state = 'running' AND lease_token = :token",
  setEffects: "UPDATE jobs SET completed_effects = :effects, updated_at = :now WHERE id = :id",
  renewLease: `
    UPDATE jobs SET lease_expires_at = :expiresAt, updated_at = :now
    WHERE id = :id AND state = 'running' AND lease_token = :token`,
  getIntent: "SELECT * FROM intents WHERE key = :key",
  insertIntent: `
    INSERT INTO intents (key, kind, repo, job_id, token, recorded_at)
    VALUES (:key, :kind, :repo, :jobId, :token, :recordedAt)
    ON CONFLICT (key) DO NOTHING`,
  replaceIntent: `
    UPDATE intents SET kind = :kind, repo = :repo, job_id = :jobId, token = :token,
      recorded_at = :recordedAt
    WHERE key = :key AND token = :replacing`,
  resolveIntent: "DELETE FROM intents WHERE key = :key",
  dropIntent: "DELETE FROM intents WHERE key = :key AND token = :token",
  upsertLink: `
    INSERT INTO links (key, kind, repo, github_id, github_number, state, updated_at)
    VALUES (:key, :kind, :repo, :githubId, :githubNumber, :state, :now)
    ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, repo = excluded.repo,
      github_id = excluded.github_id, github_number = excluded.github_number,
      state = excluded.state, updated_at = excluded.updated_at`,
  completeJob: `
    UPDATE jobs SET state = 'done', outcome_packed = :outcomePacked, completed_effects = :effects,
      lease_token = NULL, lease_expires_at = NULL, updated_at = :now
    WHERE id = :id AND state = 'running' AND lease_token = :token`,
  retryJob: `
    UPDATE jobs SET state = 'queued', not_before = :notBefore, last_error = :error,
      lease_token = NULL, lease_expires_at = NULL, updated_at = :now
    WHERE id = :id AND state = 'running' AND lease_token = :token`,
  deadLetterJob: `
    UPDATE jobs SET state = 'dead', last_error = :error, lease_token = NULL, lease_expires_at = NULL,
      updated_at = :now
    WHERE id = :id AND state = 'running' AND lease_token = :token`,
  releaseJob: `
    UPDATE jobs SET state = 'queued', attempts = attempts - 1, lease_token = NULL,
      lease_expires_at = NULL, updated_at = :now
    WHERE id = :id AND state = 'running' AND lease_token = :token`,
  deferJob: `
    UPDATE jobs SET state = 'queued', attempts = attempts - 1, not_before = :notBefore,
      last_error = :reason, lease_token = NULL, lease_expires_at = NULL, updated_at = :now
    WHERE id = :id AND state = 'running' AND lease_token = :token`,
  replayDeadLetter: `
    UPDATE jobs SET state = 'queued', attempts = 0, not_before = :now, updated_at = :now
    WHERE id = :id AND state = 'dead'`,
  jobOfDelivery: `
    SELECT d.disposition, j.id AS job_id, j.state AS job_state
    FROM deliveries d LEFT JOIN jobs j ON j.delivery_id = d.id WHERE d.id = :id`,
  // A forced re-run starts from nothing: every effect is planned and executed again.
  rerunJob: `
    UPDATE jobs SET state = 'queued', attempts = 0, not_before = :now, completed_effects = '{}',
      last_error = NULL, outcome = NULL, outcome_packed = NULL, updated_at = :now
    WHERE id = :id AND state IN ('done', 'dead')`,
  listDeliveries: `
    SELECT ${SUMMARY_COLUMNS} FROM deliveries d LEFT JOIN jobs j ON j.delivery_id = d.id
    ORDER BY d.id DESC LIMIT :limit`,
  // Unset filters are NULL, so one prepared statement serves every combination.
  listDeliveryPage: `
    SELECT ${SUMMARY_COLUMNS} FROM deliveries d LEFT JOIN jobs j ON j.delivery_id = d.id
    WHERE (:beforeId IS NULL OR d.id < :beforeId)
      AND (:eventKind IS NULL OR d.event_kind = :eventKind)
      AND (:hubRepo IS NULL OR j.hub_repo = :hubRepo)
      AND (:state IS NULL OR ${DELIVERY_STATE} = :state)
    ORDER BY d.id DESC LIMIT :limit`,
  getDeliveryDetail: `
    SELECT ${SUMMARY_COLUMNS}, d.body, d.body_packed, d.headers, d.headers_packed, j.event,
      j.event_packed, j.completed_effects
    FROM deliveries d LEFT JOIN jobs j ON j.delivery_id = d.id
    WHERE d.id = :id`,
  insertAttempt: `
    INSERT INTO attempts (job_id, attempt, outcome, error, ended_at)
    VALUES (:jobId, :attempt, :outcome, :error, :now)`,
  listAttempts:
    "SELECT attempt, outcome, error, ended_at FROM attempts WHERE job_id = :jobId ORDER BY id",
  getDelivery: `
    SELECT ${SUMMARY_COLUMNS} FROM deliveries d LEFT JOIN jobs j ON j.delivery_id = d.id
    WHERE d.id = :id`,
  // One partial index each, so counting reads live and dead jobs only, never the done ones.
  countJobs: `
    SELECT (SELECT count(*) FROM jobs WHERE state = 'queued') AS queued,
      (SELECT count(*) FROM jobs WHERE state = 'running') AS running,
      (SELECT count(*) FROM jobs WHERE state = 'dead') AS dead,
      (SELECT min(not_before) FROM jobs WHERE state = 'queued' AND not_before <= :now) AS oldest_due`,
  listDeadLetters: `
    SELECT j.id, j.delivery_id, j.event, j.event_packed, j.attempts, j.last_error, j.updated_at,
      d.body, d.body_packed
    FROM jobs j JOIN deliveries d ON d.id = j.delivery_id
    WHERE j.state = 'dead' ORDER BY j.updated_at DESC, j.id DESC LIMIT :limit`,
  getLink: "SELECT * FROM links WHERE key = :key",
  getState: "SELECT value FROM state WHERE key = :key",
  setState: `
    INSERT INTO state (key, value, updated_at) VALUES (:key, :value, :now)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  insertStateIfAbsent: `
    INSERT INTO state (key, value, updated_at) VALUES (:key, :value, :now)
    ON CONFLICT (key) DO NOTHING`,
  // Granted when free, expired, or already ours; the row returned only when granted.
  claimLease: `
    INSERT INTO leases (name, holder, expires_at) VALUES (:name, :holder, :expiresAt)
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE leases.holder = excluded.holder OR leases.expires_at <= :now
    RETURNING name, holder, expires_at`,
  getLease: "SELECT name, holder, expires_at FROM leases WHERE name = :name",
  releaseLease: "DELETE FROM leases WHERE name = :name AND holder = :holder",
  listLeases: "SELECT name, holder, expires_at FROM leases ORDER BY name",
  // Deliveries (and so their dedupe keys) that are old and whose job, if any, is finished; live and
  // dead jobs stay.
  prunable: `
    SELECT d.id, d.dedupe_hash, d.webhook_hash FROM deliveries d LEFT JOIN jobs j ON j.delivery_id = d.id
    WHERE d.received_at < :olderThan AND (j.id IS NULL OR j.state = 'done')`,
  pruneJob: "DELETE FROM jobs WHERE delivery_id = :id",
  pruneAttempts:
    "DELETE FROM attempts WHERE job_id IN (SELECT id FROM jobs WHERE delivery_id = :id)",
  // An intent outlives its delivery only while its job may still run (queued, running or dead).
  pruneIntents: `
    DELETE FROM intents WHERE recorded_at < :olderThan
      AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = intents.job_id AND j.state <> 'done')`,
  pruneDelivery: "DELETE FROM deliveries WHERE id = :id",
} as const;

export type SqliteStatements = Record<keyof typeof SQL, StatementSync>;

/** Prepares every statement once at open; the hot paths then only bind and step. */
export function prepareSqliteStatements(db: DatabaseSync): SqliteStatements {
  return Object.fromEntries(
    Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)]),
  ) as SqliteStatements;
}
