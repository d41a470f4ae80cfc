import { packText } from "../pack-text.ts";
import type { PreparedDelivery } from "../prepare-delivery.ts";
import type { RecordDeliveryResult } from "../store.ts";
import { webhookIdKey } from "../webhook-id-key.ts";
import type { SqliteDedupeIndex } from "./create-sqlite-dedupe-index.ts";
import type { SqliteStatements } from "./prepare-sqlite-statements.ts";
import { sqliteDedupeHash } from "./sqlite-dedupe-hash.ts";

/**
 * Writes a batch of deliveries inside the caller's write transaction (one fsync for all of them).
 * Texts are packed here, on the writer thread, not on the HTTP handler's.
 * Items are applied in order, so a later copy of a key in the same batch counts as a duplicate of the
 * first.
 */
export function writeSqliteDeliveryBatch(
  statements: SqliteStatements,
  dedupe: SqliteDedupeIndex,
  items: PreparedDelivery[],
): RecordDeliveryResult[] {
  dedupe.refresh();
  return items.map((item) => writeOne(statements, dedupe, item));
}

function writeOne(
  statements: SqliteStatements,
  dedupe: SqliteDedupeIndex,
  item: PreparedDelivery,
): RecordDeliveryResult {
  const { delivery } = item;
  const dedupeHash = sqliteDedupeHash(delivery.dedupeKey);
  const idKey =
    delivery.webhookId === undefined
      ? undefined
      : webhookIdKey(delivery.source, delivery.webhookId);
  const webhookHash = idKey === undefined ? undefined : sqliteDedupeHash(idKey);
  // The sender's id first; the payload key still catches a copy sent under another id.
  const existingId =
    (idKey === undefined ? undefined : dedupe.find(idKey, webhookHash as number)) ??
    dedupe.find(delivery.dedupeKey, dedupeHash);
  if (existingId !== undefined) {
    statements.countDuplicate.run({ id: existingId });
    return { status: "duplicate", deliveryId: existingId };
  }
  const receivedAt = delivery.receivedAt.getTime();
  const deliveryId = Number(
    statements.insertDelivery.run({
      source: delivery.source,
      receivedAt,
      dedupeKey: delivery.dedupeKey,
      dedupeHash,
      webhookId: delivery.webhookId ?? null,
      webhookHash: webhookHash ?? null,
      bodyPacked: packText(delivery.body),
      headersPacked: packText(item.headersJson),
      disposition: delivery.disposition,
      reason: delivery.reason ?? null,
      eventKind: item.eventKind ?? null,
    }).lastInsertRowid,
  );
  dedupe.add(dedupeHash, deliveryId);
  if (webhookHash !== undefined) dedupe.add(webhookHash, deliveryId);
  if (item.eventJson === undefined) return { status: "accepted", deliveryId };
  const jobId = Number(
    statements.insertJob.run({
      deliveryId,
      eventPacked: packText(item.eventJson),
      hubRepo: item.hubRepo ?? null,
      notBefore: receivedAt,
      now: Date.now(),
    }).lastInsertRowid,
  );
  return { status: "accepted", deliveryId, jobId };
}
