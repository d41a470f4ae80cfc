import type { Logger } from "pino";
import type { Store } from "../../store/store.ts";
import type { PollerClock } from "../system-poller-clock.ts";
import { endpointPollerLeaseName } from "./endpoint-poller-lease-name.ts";

/**
 * How long a lease outlives the holder's next due poll: covers its timer firing late and the claim's
 * round trip, and is all another replica waits beyond the interval when the holder died.
 */
const LEASE_GRACE_MS = 1_500;
/** A replica that was refused asks again this long after the holder's expiry, so it finds it lapsed. */
const LEASE_RETRY_SLACK_MS = 100;

/** This replica's share of the namespace leases: its name, and the namespaces it holds. */
export interface NamespaceLeases {
  holder: string;
  held: Set<string>;
}

/**
 * Takes or renews this replica's lease on the namespace until `untilMs` past now plus the grace;
 * resolves with how long to wait before asking again when another replica holds it (or the store
 * cannot say), or undefined when this replica may poll (always without leases).
 */
export async function claimNamespaceLease(
  claiming: {
    store: Store;
    logger: Logger;
    clock: PollerClock;
    leases: NamespaceLeases | undefined;
  },
  namespace: string,
  untilMs: number,
): Promise<number | undefined> {
  const { store, logger, clock, leases } = claiming;
  if (!leases) return undefined;
  const { held } = leases;
  const now = clock.now();
  try {
    const claim = await store.claimLease({
      name: endpointPollerLeaseName(namespace),
      holder: leases.holder,
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
