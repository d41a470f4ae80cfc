import { checkListLimit } from "./check-list-limit.ts";
import { DELIVERY_STATES, type DeliveryQuery } from "./store.ts";

/** Refuses a query a backend would misread: a bad page size, cursor or state. */
export function checkDeliveryQuery(query: DeliveryQuery): DeliveryQuery {
  checkListLimit("listDeliveryPage", query.limit);
  if (query.beforeId !== undefined && (!Number.isInteger(query.beforeId) || query.beforeId < 1)) {
    throw new Error(
      `listDeliveryPage: beforeId ${JSON.stringify(query.beforeId)} is not a positive integer; pass the nextBeforeId of the previous page`,
    );
  }
  if (query.state !== undefined && !DELIVERY_STATES.includes(query.state)) {
    throw new Error(
      `listDeliveryPage: state ${JSON.stringify(query.state)} is not one of ${DELIVERY_STATES.join(", ")}`,
    );
  }
  return query;
}
