import type { PoolClient } from "pg";
import type { PreparedDelivery } from "../prepare-delivery.ts";
import type { RecordDeliveryResult } from "../store.ts";

/**
 * Claims the batch's new keys and stores their deliveries and jobs in one statement: one round trip
 * per batch instead of two per delivery. The first copy of a key in the batch is the one stored; it
 * starts with the later copies counted as duplicates. Keys are claimed in sorted order, so two replicas
 * committing overlapping batches wait on each other instead of deadlocking.
 */
const STORE_NEW = {
  name: "hfb-store-new-deliveries",
  text: `
    WITH input AS (
      SELECT * FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::text[], $5::text[],
        $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
        AS t(position, dedupe_key, received_at, source, body, headers, disposition, reason, event_kind, event)
    ),
    firsts AS (
      SELECT DISTINCT ON (dedupe_key) *, count(*) OVER (PARTITION BY dedupe_key) - 1 AS copies
      FROM input ORDER BY dedupe_key, position
    ),
    claimed AS (
      INSERT INTO dedupe (key, delivery_id, first_seen)
      SELECT dedupe_key, nextval('deliveries_id_seq'), received_at FROM firsts ORDER BY dedupe_key
      ON CONFLICT (key) DO NOTHING
      RETURNING key, delivery_id
    ),
    stored AS (
      INSERT INTO deliveries (id, source, received_at, dedupe_key, body, headers, disposition, reason,
        event_kind, duplicates)
      SELECT c.delivery_id, f.source, f.received_at, f.dedupe_key, f.body, f.headers::jsonb,
        f.disposition, f.reason, f.event_kind, f.copies
      FROM claimed c JOIN firsts f ON f.dedupe_key = c.key
      RETURNING id, received_at, dedupe_key
    ),
    queued AS (
      INSERT INTO jobs (delivery_id, state, event, not_before)
      SELECT s.id, 'queued', f.event::jsonb, s.received_at
      FROM stored s JOIN firsts f ON f.dedupe_key = s.dedupe_key
      WHERE f.event IS NOT NULL
      RETURNING id, delivery_id
    )
    SELECT s.dedupe_key AS key, s.id AS delivery_id, q.id AS job_id
    FROM stored s LEFT JOIN queued q ON q.delivery_id = s.id`,
};

/**
 * Counts copies of keys stored before this batch. A statement of its own: its fresh snapshot sees a key
 * that another replica committed while the claim above waited for it.
 */
const COUNT_DUPLICATES = {
  name: "hfb-count-duplicates",
  text: `
    WITH copies AS (
      SELECT dedupe_key, count(*) AS copies FROM unnest($1::text[]) AS t(dedupe_key) GROUP BY dedupe_key
    )
    UPDATE deliveries d SET duplicates = d.duplicates + c.copies
    FROM copies c JOIN dedupe k ON k.key = c.dedupe_key
    WHERE d.id = k.delivery_id
    RETURNING c.dedupe_key AS key, d.id AS delivery_id`,
};

/** Writes a batch of deliveries inside the caller's transaction; results are in the batch's order. */
export async function writePostgresDeliveryBatch(
  client: PoolClient,
  items: PreparedDelivery[],
): Promise<RecordDeliveryResult[]> {
  const column = <T>(pick: (item: PreparedDelivery) => T) => items.map(pick);
  const stored = await client.query<{ key: string; delivery_id: number; job_id: number | null }>({
    ...STORE_NEW,
    values: [
      items.map((_, index) => index),
      column((item) => item.delivery.dedupeKey),
      column((item) => item.delivery.receivedAt),
      column((item) => item.delivery.source),
      column((item) => item.delivery.body),
      column((item) => item.headersJson),
      column((item) => item.delivery.disposition),
      column((item) => item.delivery.reason ?? null),
      column((item) => item.eventKind ?? null),
      column((item) => item.eventJson ?? null),
    ],
  });
  const newByKey = new Map(stored.rows.map((row) => [row.key, row]));
  const earlierKeys = items
    .map((item) => item.delivery.dedupeKey)
    .filter((key) => !newByKey.has(key));
  const earlierByKey = new Map<string, number>();
  if (earlierKeys.length > 0) {
    const counted = await client.query<{ key: string; delivery_id: number }>({
      ...COUNT_DUPLICATES,
      values: [earlierKeys],
    });
    for (const row of counted.rows) earlierByKey.set(row.key, row.delivery_id);
  }

  const firstSeen = new Set<string>();
  return items.map(({ delivery: { dedupeKey } }) => {
    const fresh = newByKey.get(dedupeKey);
    if (fresh && !firstSeen.has(dedupeKey)) {
      firstSeen.add(dedupeKey);
      return fresh.job_id === null
        ? { status: "accepted", deliveryId: fresh.delivery_id }
        : { status: "accepted", deliveryId: fresh.delivery_id, jobId: fresh.job_id };
    }
    const deliveryId = fresh?.delivery_id ?? earlierByKey.get(dedupeKey);
    if (deliveryId === undefined) {
      throw new Error(`dedupe key "${dedupeKey}" is taken but its delivery is missing`);
    }
    return { status: "duplicate", deliveryId };
  });
}
