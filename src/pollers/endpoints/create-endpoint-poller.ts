import type { Logger } from "pino";
import type { BridgeConfig, EndpointWatch } from "../../config/config-schema.ts";
import type { BridgeEvent } from "../../events/bridge-event.ts";
import type { Store } from "../../store/store.ts";
import type { PollOutcomeListener } from "../poll-outcome-listener.ts";
import { releasePollerLeases } from "../release-poller-leases.ts";
import { type PollerClock, systemPollerClock } from "../system-poller-clock.ts";
import type { NamespaceLeases } from "./claim-namespace-lease.ts";
import { endpointPollerLeaseName } from "./endpoint-poller-lease-name.ts";
import { groupByNamespace } from "./group-by-namespace.ts";
import { type NamespacePollReport, pollNamespace } from "./poll-namespace.ts";
import { pollNamespaceIfHolder } from "./poll-namespace-if-holder.ts";

export interface EndpointPollerOptions {
  store: Store;
  config: BridgeConfig;
  fetch: typeof fetch;
  baseUrl: string;
  /** Hub token with read access to the namespaces; sent as a bearer token and nowhere else. */
  token: string;
  /** What holds `baseUrl` (default HF_ENDPOINTS_API_URL), for network failure messages. */
  addressSetting?: string;
  clock?: PollerClock;
  logger: Logger;
  /** Called with the events a poll queued, e.g. to wake the worker. */
  onEvents?: (events: BridgeEvent[]) => void;
  onPollOutcome?: PollOutcomeListener;
  /**
   * Set when other replicas share the store (PostgreSQL): each namespace is then polled only by the
   * replica holding its lease (`endpoint-poller:<namespace>`), `holder` naming this one. Unset (SQLite,
   * one process), every namespace is polled here, as without replicas.
   */
  lease?: { holder: string };
}

export interface EndpointPoller {
  /** Polls every namespace once, now; for tests and one-shot runs. Do not mix with `start`. */
  pollOnce(): Promise<NamespacePollReport[]>;
  /** Polls each namespace on its own schedule until `stop`. */
  start(): void;
  /** Cancels the schedule and waits for polls in flight. */
  stop(): Promise<void>;
}

/**
 * Watches the Inference Endpoints of the configured namespaces: one list request per namespace per
 * interval, whatever the number of endpoints, and one queued event per state change, in the same
 * store and queue as webhook events.
 */
export function createEndpointPoller(options: EndpointPollerOptions): EndpointPoller {
  const { store, logger } = options;
  const clock = options.clock ?? systemPollerClock();
  const namespaces = groupByNamespace(options.config.endpoints);
  const leases: NamespaceLeases | undefined = options.lease && {
    holder: options.lease.holder,
    held: new Set(),
  };
  const timers = new Map<string, unknown>();
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  const polling = {
    store,
    logger,
    clock,
    list: {
      fetch: options.fetch,
      baseUrl: options.baseUrl,
      token: options.token,
      ...(options.addressSetting ? { addressSetting: options.addressSetting } : {}),
    },
    failures: new Map<string, number>(),
    onEvents: options.onEvents,
    onPollOutcome: options.onPollOutcome,
    leases,
    stopped: () => stopped,
  };

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    return promise.finally(() => inFlight.delete(promise));
  }

  function schedule(namespace: string, watches: EndpointWatch[], delayMs: number): void {
    const handle = clock.setTimeout(() => {
      timers.delete(namespace);
      void track(pollNamespaceIfHolder(polling, namespace, watches)).then((waitMs) => {
        if (!stopped) schedule(namespace, watches, waitMs);
      });
    }, delayMs);
    timers.set(namespace, handle);
  }

  return {
    pollOnce() {
      return track(
        Promise.all(
          [...namespaces].map(([namespace, watches]) => pollNamespace(polling, namespace, watches)),
        ),
      );
    },
    start() {
      stopped = false;
      for (const [namespace, watches] of namespaces) schedule(namespace, watches, 0);
    },
    async stop() {
      stopped = true;
      for (const handle of timers.values()) clock.clearTimeout(handle);
      timers.clear();
      await Promise.allSettled([...inFlight]);
      if (leases) {
        await releasePollerLeases({ store, ...leases, leaseName: endpointPollerLeaseName });
      }
    },
  };
}
