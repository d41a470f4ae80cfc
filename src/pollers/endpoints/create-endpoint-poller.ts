import type { Logger } from "pino";
import type { BridgeConfig, EndpointWatch } from "../../config/config-schema.ts";
import { isTransitionalState } from "../../endpoints/is-transitional-state.ts";
import { parseEndpoint } from "../../endpoints/parse-endpoint.ts";
import { recordEndpointDeletion } from "../../endpoints/record-endpoint-deletion.ts";
import { recordEndpointObservation } from "../../endpoints/record-endpoint-observation.ts";
import type { BridgeEvent } from "../../events/bridge-event.ts";
import { EndpointListError, fetchEndpointList } from "../../hub/fetch-endpoint-list.ts";
import { endpointWatchesMatching } from "../../rules/endpoint-watches-matching.ts";
import type { Store } from "../../store/store.ts";
import { nextPollDelay } from "./next-poll-delay.ts";

/** Time as the poller sees it; tests pass a hand-driven one. */
export interface PollerClock {
  now(): Date;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

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
  /** Called after each poll with its outcome, e.g. for the alarm on pollers that keep failing. */
  onPollOutcome?: (
    source: string,
    outcome: { ok: true } | { ok: false; error: string },
    at: Date,
  ) => void;
  /**
   * Set when other replicas share the store (PostgreSQL): each namespace is then polled only by the
   * replica holding its lease (`endpoint-poller:<namespace>`), `holder` naming this one. Unset (SQLite,
   * one process), every namespace is polled here, as without replicas.
   */
  lease?: { holder: string };
}

export interface NamespacePollReport {
  namespace: string;
  ok: boolean;
  /** Events queued by this poll (duplicates of already queued ones are not counted). */
  queued: number;
  nextDelayMs: number;
  error?: string;
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
 * How long a lease outlives the holder's next due poll: covers its timer firing late and the claim's
 * round trip, and is all another replica waits beyond the interval when the holder died.
 */
const LEASE_GRACE_MS = 1_500;
/** A replica that was refused asks again this long after the holder's expiry, so it finds it lapsed. */
const LEASE_RETRY_SLACK_MS = 100;

/** The lease that makes one replica of several the poller of a namespace. */
export function endpointPollerLeaseName(namespace: string): string {
  return `endpoint-poller:${namespace}`;
}

const SYSTEM_CLOCK: PollerClock = {
  now: () => new Date(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Watches the Inference Endpoints of the configured namespaces: one list request per namespace per
 * interval, whatever the number of endpoints, and one queued event per state change, in the same
 * store and queue as webhook events.
 */
export function createEndpointPoller(options: EndpointPollerOptions): EndpointPoller {
  const { store, logger } = options;
  const clock = options.clock ?? SYSTEM_CLOCK;
  const namespaces = groupByNamespace(options.config.endpoints);
  const failures = new Map<string, number>();
  const timers = new Map<string, unknown>();
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;

  async function pollNamespace(namespace: string, watches: EndpointWatch[]) {
    const intervalMs = Math.min(...watches.map((watch) => watch.intervalSeconds)) * 1000;
    const events: BridgeEvent[] = [];
    let transitional = false;
    try {
      const now = clock.now();
      const items = await fetchEndpointList({
        fetch: options.fetch,
        baseUrl: options.baseUrl,
        token: options.token,
        namespace,
        now,
        ...(options.addressSetting ? { addressSetting: options.addressSetting } : {}),
      });
      const listed = new Set<string>();
      const watched: string[] = [];
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
      const known = await readWatchedNames(store, namespace);
      for (const name of known.filter((known) => !listed.has(known))) {
        const deleted = await recordEndpointDeletion({ store, receivedAt: now, namespace, name });
        if (deleted?.result.status === "accepted") events.push(deleted.event);
      }
      watched.sort();
      if (watched.join("\n") !== known.join("\n")) {
        await store.setState(watchedNamesKey(namespace), watched);
      }
      failures.set(namespace, 0);
      if (events.length > 0)
        logger.info({ namespace, queued: events.length }, "endpoint changes queued");
      options.onPollOutcome?.(`endpoints of ${namespace}`, { ok: true }, now);
      return report(namespace, events, nextPollDelay({ intervalMs, transitional, failures: 0 }));
    } catch (error) {
      const failed = (failures.get(namespace) ?? 0) + 1;
      failures.set(namespace, failed);
      const message = error instanceof Error ? error.message : String(error);
      const retryAfterMs = error instanceof EndpointListError ? error.retryAfterMs : undefined;
      const nextDelayMs = nextPollDelay({
        intervalMs,
        transitional,
        failures: failed,
        retryAfterMs,
      });
      logger.warn(
        { namespace, failures: failed, nextDelayMs, reason: message },
        "endpoint poll failed",
      );
      options.onPollOutcome?.(
        `endpoints of ${namespace}`,
        { ok: false, error: message },
        clock.now(),
      );
      return { ...report(namespace, events, nextDelayMs), ok: false, error: message };
    } finally {
      if (events.length > 0) options.onEvents?.(events);
    }
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    return promise.finally(() => inFlight.delete(promise));
  }

  const held = new Set<string>();

  /**
   * Takes or renews this replica's lease on the namespace until `untilMs` past now plus the grace;
   * resolves with how long to wait before asking again when another replica holds it (or the store
   * cannot say), or undefined when this replica may poll.
   */
  async function leaseFor(namespace: string, untilMs: number): Promise<number | undefined> {
    const lease = options.lease;
    if (!lease) return undefined;
    const now = clock.now();
    try {
      const claim = await store.claimLease({
        name: endpointPollerLeaseName(namespace),
        holder: lease.holder,
        ttlMs: untilMs + LEASE_GRACE_MS,
        now,
      });
      if (claim.held) {
        if (!held.has(namespace)) logger.info({ namespace }, "endpoint poller lease taken");
        held.add(namespace);
        return undefined;
      }
      if (held.delete(namespace)) {
        logger.info({ namespace, holder: claim.holder }, "endpoint poller lease lost");
      }
      return Math.max(0, claim.expiresAt.getTime() - now.getTime()) + LEASE_RETRY_SLACK_MS;
    } catch (error) {
      // Without a lease nobody knows who polls: wait for the store rather than poll beside another.
      held.delete(namespace);
      logger.warn(
        { namespace, reason: error instanceof Error ? error.message : String(error) },
        "endpoint poller lease could not be claimed; polling waits for the store",
      );
      return untilMs;
    }
  }

  async function pollIfHolder(namespace: string, watches: EndpointWatch[]): Promise<number> {
    // Held for an interval first: a poll takes far less, and then the renewal below extends it.
    const intervalMs = Math.min(...watches.map((watch) => watch.intervalSeconds)) * 1000;
    const waitMs = await leaseFor(namespace, intervalMs);
    if (waitMs !== undefined) return waitMs;
    const result = await pollNamespace(namespace, watches);
    // Renewed until the next poll is due, so another replica takes over only when this one is gone.
    if (!stopped) await leaseFor(namespace, result.nextDelayMs);
    return result.nextDelayMs;
  }

  function schedule(namespace: string, watches: EndpointWatch[], delayMs: number): void {
    const handle = clock.setTimeout(() => {
      timers.delete(namespace);
      void track(pollIfHolder(namespace, watches)).then((waitMs) => {
        if (!stopped) schedule(namespace, watches, waitMs);
      });
    }, delayMs);
    timers.set(namespace, handle);
  }

  return {
    pollOnce() {
      return track(
        Promise.all(
          [...namespaces].map(([namespace, watches]) => pollNamespace(namespace, watches)),
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
      // Handed back at once, so another replica need not wait for the expiry.
      const lease = options.lease;
      if (lease) {
        await Promise.allSettled(
          [...held].map((namespace) =>
            store.releaseLease(endpointPollerLeaseName(namespace), lease.holder),
          ),
        );
        held.clear();
      }
    },
  };
}

function report(
  namespace: string,
  events: BridgeEvent[],
  nextDelayMs: number,
): NamespacePollReport {
  return { namespace, ok: true, queued: events.length, nextDelayMs };
}

function groupByNamespace(watches: readonly EndpointWatch[]): Map<string, EndpointWatch[]> {
  const groups = new Map<string, EndpointWatch[]>();
  for (const watch of watches) {
    groups.set(watch.namespace, [...(groups.get(watch.namespace) ?? []), watch]);
  }
  return groups;
}

/** The watched endpoints the last poll listed, so the next one notices those that disappeared. */
function watchedNamesKey(namespace: string): string {
  return `endpoint-namespace:${namespace}`;
}

async function readWatchedNames(store: Store, namespace: string): Promise<string[]> {
  const value = await store.getState(watchedNamesKey(namespace));
  return Array.isArray(value)
    ? value.filter((name): name is string => typeof name === "string")
    : [];
}
