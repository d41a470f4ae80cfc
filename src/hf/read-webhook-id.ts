import type { IncomingHttpHeaders } from "node:http";

/** Far longer than any id the Hub sends (a hex object id); a longer value is not a delivery id. */
const MAX_WEBHOOK_ID_LENGTH = 128;
/** Printable ASCII without spaces, as an opaque id is; anything else is not one. */
const WEBHOOK_ID = /^[\x21-\x7e]+$/;

type WebhookIdHeader =
  | { outcome: "absent" }
  | { outcome: "present"; webhookId: string }
  | { outcome: "unusable"; note: string };

/**
 * The Hub's `Webhook-Id` header: the same across the Hub's retries of a delivery and its Replays. A
 * value that cannot be an id is noted and left out, so the payload key alone dedupes that delivery.
 */
export function readWebhookId(headers: IncomingHttpHeaders): WebhookIdHeader {
  const raw = headers["webhook-id"];
  if (raw === undefined) return { outcome: "absent" };
  const value = Array.isArray(raw) ? raw.join(", ") : raw.trim();
  if (value.length > 0 && value.length <= MAX_WEBHOOK_ID_LENGTH && WEBHOOK_ID.test(value)) {
    return { outcome: "present", webhookId: value };
  }
  return {
    outcome: "unusable",
    note: `Webhook-Id header ${JSON.stringify(value.slice(0, 40))} ignored (not 1-${MAX_WEBHOOK_ID_LENGTH} printable characters without spaces); deduplicated on the payload alone`,
  };
}
