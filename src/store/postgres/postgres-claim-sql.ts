/**
 * The claim: the first due entry of each live-job partial index (migrations/0005-claim-indexes.sql),
 * the older (smaller id) of the two, leased in the same statement. Each arm reads one index entry, so
 * a claim costs the same with 100 or 1,000,000 jobs queued; SKIP LOCKED lets replicas claim side by
 * side. The arms are separate CTEs because PostgreSQL allows no FOR UPDATE inside a UNION.
 * $1 lease token, $2 lease expiry, $3 worker id, $4 now.
 */
export const POSTGRES_CLAIM_SQL = `
  WITH queued AS (
    SELECT id FROM jobs WHERE state = 'queued' AND not_before <= $4
    ORDER BY not_before, id LIMIT 1 FOR UPDATE SKIP LOCKED
  ), expired AS (
    SELECT id FROM jobs WHERE state = 'running' AND lease_expires_at <= $4
    ORDER BY lease_expires_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
  )
  UPDATE jobs SET state = 'running', lease_token = $1, lease_expires_at = $2, worker_id = $3,
    attempts = attempts + 1, updated_at = now()
  WHERE id = (SELECT min(id) FROM (SELECT id FROM queued UNION ALL SELECT id FROM expired) AS due)
  RETURNING id, delivery_id, event, event_packed, attempts, lease_token, lease_expires_at, completed_effects`;
