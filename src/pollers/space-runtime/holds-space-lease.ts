import type { Logger } from "pino";
import type { Store } from "../../store/store.ts";
import { spacePollerLeaseName } from "./space-poller-lease-name.ts";

/**
 * How long a Space's lease lasts past each tick's renewal: several ticks, so a slow tick or a poll in
 * flight (runtime request, build log tail) does not lose it, and all another replica waits when the
 * holder died.
 */
const SPACE_LEASE_TTL_MS = 5_000;

/** This replica's share of the Space leases: its name, and the Spaces it holds. */
export interface SpaceLeases {
  holder: string;
  held: Set<string>;
}

/**
 * Whether this replica follows the Space now: always without leases, else while holding its lease.
 * Asked every tick (one small statement per followed Space), so a lease handed back is taken at once.
 */
export async function holdsSpaceLease(input: {
  store: Store;
  logger: Logger;
  leases: SpaceLeases | undefined;
  space: string;
  now: Date;
}): Promise<boolean> {
  const { store, logger, leases, space, now } = input;
  if (!leases) return true;
  const { held } = leases;
  try {
    const claim = await store.claimLease({
      name: spacePollerLeaseName(space),
      holder: leases.holder,
      ttlMs: SPACE_LEASE_TTL_MS,
      now,
    });
    if (claim.held) {
      if (!held.has(space)) logger.info({ space }, "Space poller lease taken");
      held.add(space);
      return true;
    }
  } catch (error) {
    // Without a lease nobody knows who follows the Space: wait for the store rather than poll beside another.
    logger.warn(
      { space, reason: error instanceof Error ? error.message : String(error) },
      "Space poller lease could not be claimed; polling waits for the store",
    );
  }
  if (held.delete(space)) logger.info({ space }, "Space poller lease lost");
  return false;
}
