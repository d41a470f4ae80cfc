import type { PoolClient } from "pg";
import type { PreparedDelivery } from "../prepare-delivery.ts";
import type { RecordDeliveryResult } from "../store.ts";

const CLAIM_KEY = {
  name: "hfb-claim-dedupe-key",
  text: `
    INSERT INTO dedupe (key, delivery_id, first_seen)
    VALUES ($1, nextval('deliveries_id_seq'), $2)
    ON CONFLICT (key) DO NOTHING
    RETURNING delivery_id`,
};

const INSERT_DELIVERY_AND_JOB = {
  name: "hfb-insert-delivery",
  text: `
    WITH delivery AS (
      INSERT INTO deliveries (id, source, received_at, dedupe_key, body, headers, disposition, reason, event_kind)
      VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)
      RETURNING id, received_at
    )
    INSERT INTO jobs (delivery_id, state, event, not_before)
    SELECT id, 'queued', $10::jsonb, received_at FROM delivery WHERE $10::jsonb IS NOT NULL
    RETURNING id`,
};

const COUNT_DUPLICATE = {
  name: "hfb-count-duplicate",
  text: `
    UPDATE deliveries SET duplicates = duplicates + 1
    WHERE id = (SELECT delivery_id FROM dedupe WHERE key = $1)
    RETURNING id`,
};

/**
 * Writes a batch of deliveries inside the caller's transaction. Keys are taken in sorted order so two
 * replicas committing overlapping batches wait on each other instead of deadlocking.
 */
export async function writePostgresDeliveryBatch(
  client: PoolClient,
  items: PreparedDelivery[],
): Promise<RecordDeliveryResult[]> {
  const order = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => compare(a.item.delivery.dedupeKey, b.item.delivery.dedupeKey));
  const results: RecordDeliveryResult[] = new Array(items.length);
  for (const { item, index } of order) results[index] = await writeOne(client, item);
  return results;
}

async function writeOne(client: PoolClient, item: PreparedDelivery): Promise<RecordDeliveryResult> {
  const { delivery } = item;
  const claimed = await client.query<{ delivery_id: number }>({
    ...CLAIM_KEY,
    values: [delivery.dedupeKey, delivery.receivedAt],
  });
  const deliveryId = claimed.rows[0]?.delivery_id;
  if (deliveryId === undefined) {
    const counted = await client.query<{ id: number }>({
      ...COUNT_DUPLICATE,
      values: [delivery.dedupeKey],
    });
    const firstId = counted.rows[0]?.id;
    if (firstId === undefined) {
      throw new Error(`dedupe key "${delivery.dedupeKey}" is taken but its delivery is missing`);
    }
    return { status: "duplicate", deliveryId: firstId };
  }
  const job = await client.query<{ id: number }>({
    ...INSERT_DELIVERY_AND_JOB,
    values: [
      deliveryId,
      delivery.source,
      delivery.receivedAt,
      delivery.dedupeKey,
      delivery.body,
      item.headersJson,
      delivery.disposition,
      delivery.reason ?? null,
      item.eventKind ?? null,
      item.eventJson ?? null,
    ],
  });
  const jobId = job.rows[0]?.id;
  return jobId === undefined
    ? { status: "accepted", deliveryId }
    : { status: "accepted", deliveryId, jobId };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
