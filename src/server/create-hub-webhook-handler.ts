import type { Route } from "../config/config-schema.ts";
import { dedupeKey } from "../events/dedupe-key.ts";
import { normalizeHubPayload } from "../events/normalize-hub-payload.ts";
import { parseHubPayload } from "../hf/parse-hub-payload.ts";
import { readWebhookId } from "../hf/read-webhook-id.ts";
import { compileRouteMatcher, type RouteMatcher } from "../rules/compile-route-matcher.ts";
import type { NewDelivery, Store } from "../store/store.ts";
import { sha256 } from "../util/sha256.ts";
import { decideRouting } from "./decide-routing.ts";
import type { Handler } from "./handler.ts";
import { HttpProblem } from "./http-problem.ts";
import { keepRejectedDelivery } from "./keep-rejected-delivery.ts";
import { parseJsonBody } from "./parse-json-body.ts";
import { readAuthenticatedBody, type WebhookBodyLimits } from "./read-authenticated-body.ts";
import { sendJson } from "./send-json.ts";
import { storeUnavailable } from "./store-unavailable.ts";
import { storedHeaders } from "./stored-headers.ts";

interface HubWebhookHandlerOptions extends WebhookBodyLimits {
  store: Store;
  routes: readonly Route[];
  /** The Hub's web address (HF_ENDPOINT) that links in mirrored text point at; default huggingface.co. */
  hubUrl?: string;
  /** Called after a delivery was queued, so the worker need not wait for its next poll. */
  onQueued?: () => void;
}

type Prepared = Omit<NewDelivery, "receivedAt" | "headers" | "source" | "body">;

/**
 * `POST` of a Hub webhook: authenticate from headers alone, then read, parse and store. The answer is
 * 2xx only once the store has made the delivery durable, so the Hub retries anything not kept.
 */
export function createHubWebhookHandler(options: HubWebhookHandlerOptions): Handler {
  const matchRoutes = compileRouteMatcher(options.routes);
  return async ({ req, res, url, log }) => {
    const receivedAt = new Date();
    const raw = await readAuthenticatedBody(req, res, url, options);
    const base = { source: "hub" as const, receivedAt, headers: storedHeaders(req.headers) };
    let text: string;
    let prepared: Prepared;
    try {
      const parsed = parseJsonBody(raw);
      text = parsed.text;
      prepared = prepare(text, parsed.value, matchRoutes, options.hubUrl);
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      // Decoded leniently only here: an undecodable body is still kept for inspection.
      text = raw.toString("utf8");
      prepared = {
        dedupeKey: bodyKey("rejected", text),
        disposition: "rejected",
        reason: error.message,
      };
    }

    if (prepared.disposition === "rejected") {
      const reason = prepared.reason ?? "invalid payload";
      const deliveryId = await keepRejectedDelivery(
        { ...base, ...prepared, body: text },
        options.store,
        log,
      );
      sendJson(res, 400, { status: "rejected", reason, ...(deliveryId ? { deliveryId } : {}) });
      return { deliveryId };
    }

    // Only understood deliveries carry the sender's id: a rejected body must not make the id a
    // duplicate when the Hub sends it again once the receiver can read it.
    const webhookId = readWebhookId(req.headers);
    if (webhookId.outcome === "present") prepared.webhookId = webhookId.webhookId;
    else if (webhookId.outcome === "unusable") {
      prepared.reason = prepared.reason ? `${prepared.reason}; ${webhookId.note}` : webhookId.note;
    }
    let result: Awaited<ReturnType<Store["recordDelivery"]>>;
    try {
      result = await options.store.recordDelivery({ ...base, ...prepared, body: text });
    } catch (error) {
      throw storeUnavailable(error, log);
    }
    const { deliveryId } = result;
    if (result.status === "duplicate") {
      sendJson(res, 200, { status: "duplicate", deliveryId });
    } else if (prepared.disposition === "ignored") {
      sendJson(res, 202, { status: "ignored", deliveryId, reason: prepared.reason ?? "" });
    } else {
      sendJson(res, 202, { status: "queued", deliveryId });
      options.onQueued?.();
    }
    return { deliveryId };
  };
}

function prepare(
  text: string,
  value: unknown,
  matchRoutes: RouteMatcher,
  hubUrl: string | undefined,
): Prepared {
  const parsed = parseHubPayload(value);
  if (parsed.outcome === "invalid") {
    return { dedupeKey: bodyKey("rejected", text), disposition: "rejected", reason: parsed.reason };
  }
  if (parsed.outcome === "ignored") {
    return { dedupeKey: bodyKey("ignored", text), disposition: "ignored", reason: parsed.reason };
  }
  const key = dedupeKey(parsed.payload);
  const event = normalizeHubPayload(parsed.payload, hubUrl);
  const routing = decideRouting(matchRoutes, event);
  if (!routing.routed) {
    return {
      dedupeKey: key,
      disposition: "ignored",
      reason: routing.reason,
      eventKind: event.kind,
    };
  }
  const notes = parsed.notes.join("; ");
  return { dedupeKey: key, disposition: "queued", event, ...(notes ? { reason: notes } : {}) };
}

/** Bodies the parser cannot identify are deduplicated by their bytes: a retry resends the same ones. */
function bodyKey(disposition: "rejected" | "ignored", text: string): string {
  return `hub:${disposition}:${sha256(text)}`;
}
