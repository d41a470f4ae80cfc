import type { Logger } from "pino";
import type { NewDelivery, Store } from "../store/store.ts";

/** Keeps an authenticated but invalid delivery for inspection; the answer stays 400 if that fails. */
export async function keepRejectedDelivery(
  delivery: NewDelivery,
  store: Store,
  log: Logger,
): Promise<number | undefined> {
  try {
    return (await store.recordDelivery(delivery)).deliveryId;
  } catch (error) {
    log.warn({ err: error }, "store could not keep the rejected delivery");
    return undefined;
  }
}
