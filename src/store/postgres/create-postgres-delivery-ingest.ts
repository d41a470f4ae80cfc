import { createGroupCommit, type GroupCommit } from "../create-group-commit.ts";
import type { PreparedDelivery } from "../prepare-delivery.ts";
import type { RecordDeliveryResult } from "../store.ts";
import type { PostgresDb } from "./postgres-db.ts";
import { writePostgresDeliveryBatch } from "./write-postgres-delivery-batch.ts";

/** Bounds one transaction's size, so a burst cannot hold row locks for long. */
const MAX_DELIVERY_BATCH = 512;

/** Deliveries group-committed: one transaction per batch, so a burst shares its commits. */
export function createPostgresDeliveryIngest(
  db: PostgresDb,
): GroupCommit<PreparedDelivery, RecordDeliveryResult> {
  return createGroupCommit<PreparedDelivery, RecordDeliveryResult>({
    maxBatch: MAX_DELIVERY_BATCH,
    commit: (items, waitingSince) =>
      db.transaction(
        `recording ${items.length} deliveries`,
        (client) => writePostgresDeliveryBatch(client, items),
        { waitingSince },
      ),
  });
}
