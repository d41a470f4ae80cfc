import type { GroupCommit } from "./create-group-commit.ts";
import { type PreparedDelivery, prepareDelivery } from "./prepare-delivery.ts";
import { type NewDelivery, type RecordDeliveryResult, StoreUnavailableError } from "./store.ts";

/**
 * Both backends' `recordDelivery`: refused once the store is closed, checked before it joins a batch
 * (so one malformed call cannot fail its neighbours), then group-committed.
 */
export function submitDelivery(
  deliveries: GroupCommit<PreparedDelivery, RecordDeliveryResult>,
  closed: boolean,
  delivery: NewDelivery,
): Promise<RecordDeliveryResult> {
  if (closed) {
    return Promise.reject(
      new StoreUnavailableError("store: recording a delivery failed: the store is closed"),
    );
  }
  try {
    return deliveries.submit(prepareDelivery(delivery));
  } catch (error) {
    return Promise.reject(error);
  }
}
