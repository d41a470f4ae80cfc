import type { EndpointWatch } from "../config/config-schema.ts";
import { handleEndpointStatePost } from "../endpoints/handle-endpoint-state-post.ts";
import type { WebhookSecrets } from "../hf/prepare-webhook-secrets.ts";
import { verifySecret } from "../hf/verify-secret.ts";
import type { Store } from "../store/store.ts";
import { HttpProblem } from "./http-problem.ts";
import { parseJsonBody } from "./parse-json-body.ts";
import { readBody } from "./read-body.ts";
import { readPresentedSecret } from "./read-presented-secret.ts";
import { requireJsonContentType } from "./require-json-content-type.ts";
import type { RouteHandler } from "./route-handler.ts";
import { sendJson } from "./send-json.ts";
import { storeUnavailable } from "./store-unavailable.ts";
import { storedHeaders } from "./stored-headers.ts";

export const ENDPOINT_STATE_PATH = "/webhooks/endpoints";

export interface EndpointStateRouteOptions {
  store: Store;
  endpoints: readonly EndpointWatch[];
  secrets: WebhookSecrets;
  bodyLimitBytes: number;
  bodyTimeoutMs: number;
  onQueued?: () => void;
}

/**
 * `POST` of an Inference Endpoint's JSON by something that watches it for us: the same secret rules
 * as the Hub route, then the same event and dedupe key as the poller.
 */
export function createEndpointStateRoute(options: EndpointStateRouteOptions): RouteHandler {
  return async ({ req, res, url, log }) => {
    const receivedAt = new Date();
    const verdict = verifySecret(readPresentedSecret(req, url), options.secrets);
    if (!verdict.ok)
      throw new HttpProblem(401, "unauthorized", verdict.reason, { closeConnection: true });
    requireJsonContentType(req.headers["content-type"]);
    const raw = await readBody(req, {
      limitBytes: options.bodyLimitBytes,
      timeoutMs: options.bodyTimeoutMs,
    });
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
