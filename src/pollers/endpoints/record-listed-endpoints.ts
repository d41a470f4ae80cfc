import type { Logger } from "pino";
import type { EndpointWatch } from "../../config/config-schema.ts";
import { isTransitionalState } from "../../endpoints/is-transitional-state.ts";
import { parseEndpoint } from "../../endpoints/parse-endpoint.ts";
import { recordEndpointObservation } from "../../endpoints/record-endpoint-observation.ts";
import type { BridgeEvent } from "../../events/bridge-event.ts";
import { endpointWatchesMatching } from "../../rules/endpoint-watches-matching.ts";
import type { Store } from "../../store/store.ts";

/**
 * Records what the list says of each watched endpoint (an event only when its state changed) and
 * returns the names listed, the watched ones among them, and whether one is still changing state.
 */
export async function recordListedEndpoints(input: {
  store: Store;
  logger: Logger;
  namespace: string;
  watches: EndpointWatch[];
  items: readonly unknown[];
  now: Date;
  /** Collects the events that were new. */
  events: BridgeEvent[];
}): Promise<{ listed: Set<string>; watched: string[]; transitional: boolean }> {
  const { store, logger, namespace, watches, items, now, events } = input;
  const listed = new Set<string>();
  const watched: string[] = [];
  let transitional = false;
  for (const item of items) {
    const name = (item as { name?: unknown } | null)?.name;
    if (typeof name !== "string") continue;
    listed.add(name);
    if (endpointWatchesMatching(watches, namespace, name).length === 0) continue;
    watched.push(name);
    const parsed = parseEndpoint(item, namespace);
    if (!parsed.ok) {
      logger.warn({ namespace, endpoint: name, reason: parsed.reason }, "endpoint skipped");
      continue;
    }
    transitional ||= isTransitionalState(parsed.snapshot.state);
    const observed = await recordEndpointObservation({
      store,
      source: "endpoint-poller",
      receivedAt: now,
      headers: {},
      snapshot: parsed.snapshot,
      body: parsed.body,
    });
    if (observed?.result.status === "accepted") events.push(observed.event);
  }
  return { listed, watched, transitional };
}
