import type { EndpointWatch } from "../config/config-schema.ts";
import { handleEndpointStatePost } from "../endpoints/handle-endpoint-state-post.ts";
import type { Store } from "../store/store.ts";
import type { Handler } from "./handler.ts";
import { HttpProblem } from "./http-problem.ts";
import { parseJsonBody } from "./parse-json-body.ts";
import { readAuthenticatedBody, type WebhookBodyLimits } from "./read-authenticated-body.ts";
import { sendJson } from "./send-json.ts";
import { storeUnavailable } from "./store-unavailable.ts";
import { storedHeaders } from "./stored-headers.ts";

export const ENDPOINT_STATE_PATH = "/webhooks/endpoints";

interface EndpointStateHandlerOptions extends WebhookBodyLimits {
  store: Store;
  endpoints: readonly EndpointWatch[];
  onQueued?: () => void;
}

/**
 * `POST` of an Inference Endpoint's JSON by something that watches it for us: the same secret rules
 * as the Hub webhook handler, then the same event and dedupe key as the poller.
 */
export function createEndpointStateHandler(options: EndpointStateHandlerOptions): Handler {
  return async ({ req, res, url, log }) => {
    const receivedAt = new Date();
    const raw = await readAuthenticatedBody(req, res, url, options);
    // Parsed here only for its depth and prototype-key guards; the handler reads the checked text.
    const { text } = parseJsonBody(raw);
    const namespace = url.searchParams.get("namespace");
    let result: Awaited<ReturnType<typeof handleEndpointStatePost>>;
    try {
      result = await handleEndpointStatePost(
        {
          body: text,
          headers: storedHeaders(req.headers),
          receivedAt,
          ...(namespace ? { namespace } : {}),
        },
        { store: options.store, endpoints: options.endpoints },
      );
    } catch (error) {
      throw storeUnavailable(error, log);
    }
    switch (result.status) {
      case "queued":
        sendJson(res, 202, { status: "queued", deliveryId: result.deliveryId });
        options.onQueued?.();
        return { deliveryId: result.deliveryId };
      case "duplicate":
        sendJson(res, 200, { status: "duplicate", deliveryId: result.deliveryId });
        return { deliveryId: result.deliveryId };
      case "unchanged":
        sendJson(res, 200, { status: "unchanged", reason: result.reason });
        return undefined;
      case "ignored":
        sendJson(res, 202, { status: "ignored", reason: result.reason });
        return undefined;
      case "rejected":
        throw new HttpProblem(400, "rejected", result.reason);
    }
  };
}
