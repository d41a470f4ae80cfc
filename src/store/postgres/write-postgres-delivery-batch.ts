import type { PoolClient } from "pg";
import { packText } from "../pack-text.ts";
import type { PreparedDelivery } from "../prepare-delivery.ts";
import type { RecordDeliveryResult } from "../store.ts";
import { webhookIdKey } from "../webhook-id-key.ts";

/**
 * Claims the new deliveries' dedupe keys (the payload key, and the sender id's key when there is one)
 * and stores the deliveries whose every key it won, with their jobs, in one statement: one round trip
 * per batch instead of several per delivery. Keys are claimed in sorted order, so two replicas
 * committing overlapping batches wait on each other instead of deadlocking. A delivery that won only
 * some of its keys is a duplicate of whoever holds the others; its claims are given back before commit.
 */
const STORE_NEW = {
  name: "hfb-store-new-deliveries-v3",
  text: `
    WITH input AS (
      SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
        $6::text[], $7::bytea[], $8::bytea[], $9::text[], $10::text[], $11::text[], $12::bytea[],
        $13::text[])
        AS t(position, dedupe_key, webhook_key, webhook_id, received_at, source, body_packed,
          headers_packed, disposition, reason, event_kind, event_packed, hub_repo)
    ),
    numbered AS MATERIALIZED (SELECT input.*, nextval('deliveries_id_seq') AS id FROM input),
    wanted AS (
      SELECT dedupe_key AS key, id, received_at FROM numbered
      UNION ALL
      SELECT webhook_key, id, received_at FROM numbered WHERE webhook_key IS NOT NULL
    ),
    claimed AS (
      INSERT INTO dedupe (key, delivery_id, first_seen)
      SELECT key, id, received_at FROM wanted ORDER BY key
      ON CONFLICT (key) DO NOTHING
      RETURNING key, delivery_id
    ),
    held AS (SELECT delivery_id, count(*) AS keys FROM claimed GROUP BY delivery_id),
    complete AS (
      SELECT n.* FROM numbered n JOIN held h ON h.delivery_id = n.id
      WHERE h.keys = CASE WHEN n.webhook_key IS NULL THEN 1 ELSE 2 END
    ),
    stored AS (
      INSERT INTO deliveries (id, source, received_at, dedupe_key, webhook_id, body_packed,
        headers_packed, disposition, reason, event_kind, duplicates)
      SELECT id, source, received_at, dedupe_key, webhook_id, body_packed, headers_packed,
        disposition, reason, event_kind, 0
      FROM complete
      RETURNING id
    ),
    queued AS (
      INSERT INTO jobs (delivery_id, state, event_packed, hub_repo, not_before)
      SELECT id, 'queued', event_packed, hub_repo, received_at FROM complete
      WHERE event_packed IS NOT NULL
      RETURNING id, delivery_id
    )
    SELECT n.position, n.id AS delivery_id, s.id IS NOT NULL AS stored,
      h.keys IS NOT NULL AND s.id IS NULL AS partial, q.id AS job_id
    FROM numbered n
    LEFT JOIN held h ON h.delivery_id = n.id
    LEFT JOIN stored s ON s.id = n.id
    LEFT JOIN queued q ON q.delivery_id = n.id`,
};

/**
 * Finds who holds each duplicate's keys (the sender id's first) and counts the copies there. A
 * statement of its own: its fresh snapshot sees a key that another replica committed while the claim
 * above waited for it.
 */
const COUNT_DUPLICATES = {
  name: "hfb-count-duplicates-v2",
  text: `
    WITH dup AS (
      SELECT t.position, coalesce(w.delivery_id, p.delivery_id) AS delivery_id
      FROM unnest($1::int[], $2::text[], $3::text[]) AS t(position, dedupe_key, webhook_key)
      LEFT JOIN dedupe w ON w.key = t.webhook_key
      LEFT JOIN dedupe p ON p.key = t.dedupe_key
    ),
    counted AS (
      UPDATE deliveries d SET duplicates = d.duplicates + c.copies
      FROM (SELECT delivery_id, count(*) AS copies FROM dup WHERE delivery_id IS NOT NULL
        GROUP BY delivery_id) c
      WHERE d.id = c.delivery_id
      RETURNING d.id
    )
    SELECT position, delivery_id FROM dup`,
};

/** Writes a batch of deliveries inside the caller's transaction; results are in the batch's order. */
export async function writePostgresDeliveryBatch(
  client: PoolClient,
  items: PreparedDelivery[],
): Promise<RecordDeliveryResult[]> {
  const keyed = items.map(({ delivery }) => ({
    dedupeKey: delivery.dedupeKey,
    webhookKey:
      delivery.webhookId === undefined ? null : webhookIdKey(delivery.source, delivery.webhookId),
  }));
  // Within the batch, a delivery sharing a key with an earlier one is its duplicate; only the first
  // of each goes to the claim, so no key is claimed twice in one statement.
  const seen = new Set<string>();
  const leaders: number[] = [];
  keyed.forEach(({ dedupeKey, webhookKey }, position) => {
    if (seen.has(dedupeKey) || (webhookKey !== null && seen.has(webhookKey))) return;
    seen.add(dedupeKey);
    if (webhookKey !== null) seen.add(webhookKey);
    leaders.push(position);
  });

  const pick = <T>(choose: (item: PreparedDelivery, position: number) => T) =>
    leaders.map((position) => choose(items[position] as PreparedDelivery, position));
  const stored = await client.query<{
    position: number;
    delivery_id: number;
    stored: boolean;
    partial: boolean;
    job_id: number | null;
  }>({
    ...STORE_NEW,
    values: [
      leaders,
      pick((_, position) => keyed[position]?.dedupeKey),
      pick((_, position) => keyed[position]?.webhookKey),
      pick((item) => item.delivery.webhookId ?? null),
      pick((item) => item.delivery.receivedAt),
      pick((item) => item.delivery.source),
      pick((item) => packText(item.delivery.body)),
      pick((item) => packText(item.headersJson)),
      pick((item) => item.delivery.disposition),
      pick((item) => item.delivery.reason ?? null),
      pick((item) => item.eventKind ?? null),
      pick((item) => (item.eventJson === undefined ? null : packText(item.eventJson))),
      pick((item) => item.hubRepo ?? null),
    ],
  });
  const results = new Map<number, RecordDeliveryResult>();
  const partial: number[] = [];
  for (const row of stored.rows) {
    if (row.partial) partial.push(row.delivery_id);
    if (!row.stored) continue;
    results.set(
      row.position,
      row.job_id === null
        ? { status: "accepted", deliveryId: row.delivery_id }
        : { status: "accepted", deliveryId: row.delivery_id, jobId: row.job_id },
    );
  }
  if (partial.length > 0) {
    await client.query("DELETE FROM dedupe WHERE delivery_id = ANY($1::bigint[])", [partial]);
  }

  const duplicates = keyed.map((_, position) => position).filter((p) => !results.has(p));
  if (duplicates.length > 0) {
    const counted = await client.query<{ position: number; delivery_id: number | null }>({
      ...COUNT_DUPLICATES,
      values: [
        duplicates,
        duplicates.map((position) => keyed[position]?.dedupeKey),
        duplicates.map((position) => keyed[position]?.webhookKey),
      ],
    });
    for (const row of counted.rows) {
      if (row.delivery_id === null) {
        const { dedupeKey } = keyed[row.position] ?? {};
        throw new Error(`dedupe key "${dedupeKey}" is taken but its delivery is missing`);
      }
      results.set(row.position, { status: "duplicate", deliveryId: row.delivery_id });
    }
  }
  return keyed.map((_, position) => {
    const result = results.get(position);
    if (!result) throw new Error(`delivery ${position} of the batch got no result`);
    return result;
  });
}
