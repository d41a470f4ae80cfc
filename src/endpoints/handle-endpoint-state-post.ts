import type { EndpointWatch } from "../config/config-schema.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import { endpointWatchesMatching } from "../rules/endpoint-watches-matching.ts";
import type { Store } from "../store/store.ts";
import { quote } from "../util/describe-zod-error.ts";
import { parseEndpoint } from "./parse-endpoint.ts";
import { recordEndpointObservation } from "./record-endpoint-observation.ts";

/** A `POST /webhooks/endpoints` whose secret the server already checked and whose body it read. */
interface EndpointStatePost {
  body: string;
  /** Request headers, secret-bearing ones already removed. */
  headers: Record<string, string>;
  receivedAt: Date;
  /** From `?namespace=`; needed when the body is a bare Endpoint JSON and several namespaces are watched. */
  namespace?: string;
}

/**
 * What the server answers: `queued` 202, `duplicate` and `unchanged` 200 (the state is already known),
 * `ignored` 202 (no config entry watches it), `rejected` 400 with the reason.
 */
type EndpointStatePostResult =
  | { status: "queued"; deliveryId: number; event: BridgeEvent }
  | { status: "duplicate"; deliveryId: number }
  | { status: "unchanged"; reason: string }
  | { status: "ignored"; reason: string }
  | { status: "rejected"; reason: string };

/**
 * Turns a pushed endpoint state into the same event and dedupe key as the poller, comparing with the
 * same stored state. Accepts the Endpoint JSON as the API returns it, or `{ namespace, endpoint }`.
 * Only the JSON without `model.secrets`/`model.env` is stored; nothing is stored for a refused body.
 */
export async function handleEndpointStatePost(
  post: EndpointStatePost,
  context: { store: Store; endpoints: readonly EndpointWatch[] },
): Promise<EndpointStatePostResult> {
  let value: unknown;
  try {
    value = JSON.parse(post.body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      status: "rejected",
      reason: `the body is not JSON (${reason}); send the Endpoint JSON`,
    };
  }
  const envelope = unwrap(value, post.namespace, context.endpoints);
  if ("reason" in envelope) return { status: "rejected", reason: envelope.reason };
  const parsed = parseEndpoint(envelope.endpoint, envelope.namespace);
  if (!parsed.ok) return { status: "rejected", reason: parsed.reason };
  const { namespace, name } = parsed.snapshot;
  if (endpointWatchesMatching(context.endpoints, namespace, name).length === 0) {
    return {
      status: "ignored",
      reason: `no endpoints[] entry watches "${namespace}/${name}"; add it to the config to get a card`,
    };
  }
  const observed = await recordEndpointObservation({
    store: context.store,
    source: "endpoint-post",
    receivedAt: post.receivedAt,
    headers: post.headers,
    snapshot: parsed.snapshot,
    body: parsed.body,
  });
  if (!observed) {
    return {
      status: "unchanged",
      reason: `"${namespace}/${name}" is already known as ${parsed.snapshot.state}`,
    };
  }
  if (observed.result.status === "duplicate") {
    return { status: "duplicate", deliveryId: observed.result.deliveryId };
  }
  return { status: "queued", deliveryId: observed.result.deliveryId, event: observed.event };
}

function unwrap(
  value: unknown,
  queryNamespace: string | undefined,
  watches: readonly EndpointWatch[],
): { namespace: string; endpoint: unknown } | { reason: string } {
  const object =
    typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  if ("endpoint" in object) {
    if (typeof object.namespace !== "string" || object.namespace === "") {
      return {
        reason: `namespace ${object.namespace === undefined ? "is missing" : `${quote(object.namespace)} is not a name`}; send { "namespace": "<user or org>", "endpoint": { … } }`,
      };
    }
    return { namespace: object.namespace, endpoint: object.endpoint };
  }
  if (queryNamespace) return { namespace: queryNamespace, endpoint: value };
  const name = typeof object.name === "string" ? object.name : undefined;
  const candidates = new Set(
    watches
      .filter(
        (watch) =>
          name === undefined || endpointWatchesMatching([watch], watch.namespace, name).length > 0,
      )
      .map((watch) => watch.namespace),
  );
  const [only, ...others] = candidates;
  if (only !== undefined && others.length === 0) return { namespace: only, endpoint: value };
  return {
    reason: `the Endpoint JSON does not say its namespace and ${candidates.size === 0 ? "no" : candidates.size} configured namespaces could hold ${name === undefined ? "it" : quote(name)}; send { "namespace", "endpoint" } or add ?namespace=`,
  };
}
