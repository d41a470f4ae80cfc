import type { Logger } from "pino";
import type { EndpointWatch } from "../../config/config-schema.ts";
import type { BridgeEvent } from "../../events/bridge-event.ts";
import { EndpointListError, fetchEndpointList } from "../../hub/fetch-endpoint-list.ts";
import type { Store } from "../../store/store.ts";
import type { PollOutcomeListener } from "../poll-outcome-listener.ts";
import type { PollerClock } from "../system-poller-clock.ts";
import { namespaceIntervalMs } from "./namespace-interval-ms.ts";
import { nextPollDelay } from "./next-poll-delay.ts";
import { recordListedEndpoints } from "./record-listed-endpoints.ts";
import { recordVanishedEndpoints } from "./record-vanished-endpoints.ts";

/** Where and as whom the poller lists a namespace's endpoints. */
export type EndpointListAccess = Omit<Parameters<typeof fetchEndpointList>[0], "namespace" | "now">;

export interface NamespacePollReport {
  namespace: string;
  ok: boolean;
  /** Events queued by this poll (duplicates of already queued ones are not counted). */
  queued: number;
  nextDelayMs: number;
  error?: string;
}

export interface NamespacePolling {
  store: Store;
  logger: Logger;
  clock: PollerClock;
  list: EndpointListAccess;
  /** Failed polls in a row per namespace. */
  failures: Map<string, number>;
  onEvents: ((events: BridgeEvent[]) => void) | undefined;
  onPollOutcome: PollOutcomeListener | undefined;
}

/** One list request for the namespace, an event per state change, and how long until the next. */
export async function pollNamespace(
  polling: NamespacePolling,
  namespace: string,
  watches: EndpointWatch[],
): Promise<NamespacePollReport> {
  const { store, logger, clock, list, failures, onEvents, onPollOutcome } = polling;
  const intervalMs = namespaceIntervalMs(watches);
  const events: BridgeEvent[] = [];
  try {
    const now = clock.now();
    const items = await fetchEndpointList({ ...list, namespace, now });
    const { listed, watched, transitional } = await recordListedEndpoints({
      store,
      logger,
      namespace,
      watches,
      items,
      now,
      events,
    });
    await recordVanishedEndpoints({ store, namespace, listed, watched, now, events });
    failures.set(namespace, 0);
    if (events.length > 0)
      logger.info({ namespace, queued: events.length }, "endpoint changes queued");
    onPollOutcome?.(`endpoints of ${namespace}`, { ok: true }, now);
    const nextDelayMs = nextPollDelay({ intervalMs, transitional, failures: 0 });
    return { namespace, ok: true, queued: events.length, nextDelayMs };
  } catch (error) {
    const failed = (failures.get(namespace) ?? 0) + 1;
    failures.set(namespace, failed);
    const message = error instanceof Error ? error.message : String(error);
    const retryAfterMs = error instanceof EndpointListError ? error.retryAfterMs : undefined;
    // A failed poll backs off whatever the endpoints' states, so it needs no listing's.
    const nextDelayMs = nextPollDelay({
      intervalMs,
      transitional: false,
      failures: failed,
      retryAfterMs,
    });
    logger.warn(
      { namespace, failures: failed, nextDelayMs, reason: message },
      "endpoint poll failed",
    );
    onPollOutcome?.(`endpoints of ${namespace}`, { ok: false, error: message }, clock.now());
    return { namespace, ok: false, queued: events.length, nextDelayMs, error: message };
  } finally {
    if (events.length > 0) onEvents?.(events);
  }
}
