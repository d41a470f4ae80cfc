import type { DeliveryState, DeliverySummary } from "../../store/store.ts";

/** The one-word state of a delivery, as the console's filters and colours use it. */
export function describeDeliveryState(delivery: DeliverySummary): DeliveryState {
  if (delivery.jobState === undefined)
    return delivery.disposition === "queued" ? "queued" : delivery.disposition;
  if (delivery.jobState === "queued" && (delivery.attempts ?? 0) > 0) return "retrying";
  return delivery.jobState;
}
