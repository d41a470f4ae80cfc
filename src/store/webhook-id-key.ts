import type { DeliverySource } from "./store.ts";

/**
 * The dedupe key a sender's delivery id claims, beside the payload's key. Its prefix cannot start a
 * payload key (those begin with their source), so the two kinds never collide.
 */
export function webhookIdKey(source: DeliverySource, webhookId: string): string {
  return `webhook-id:${source}:${webhookId}`;
}
