import type { DeliveryPage, DeliverySummary } from "./store.ts";

/** Cuts the one extra row a backend fetched (limit + 1) into "there is a next page". */
export function toDeliveryPage(rows: DeliverySummary[], limit: number): DeliveryPage {
  if (rows.length <= limit) return { deliveries: rows };
  const deliveries = rows.slice(0, limit);
  return { deliveries, nextBeforeId: deliveries[deliveries.length - 1]?.id as number };
}
