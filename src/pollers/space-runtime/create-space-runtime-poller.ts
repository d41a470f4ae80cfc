import type { Logger } from "pino";
import type { SpaceBuildRegistry } from "../../checks/create-space-build-registry.ts";
import type { BridgeEvent } from "../../events/bridge-event.ts";
import type { Store } from "../../store/store.ts";
import type { PollOutcomeListener } from "../poll-outcome-listener.ts";
import { releasePollerLeases } from "../release-poller-leases.ts";
import { type PollerClock, systemPollerClock } from "../system-poller-clock.ts";
import type { SpaceFollowing } from "./apply-space-reading.ts";
import { applyStreamReading } from "./apply-stream-reading.ts";
import { closeSpaceStream } from "./close-space-stream.ts";
import { createTurnQueue } from "./create-turn-queue.ts";
import type { SpaceSchedule } from "./first-space-schedule.ts";
import type { SpaceLeases } from "./holds-space-lease.ts";
import type { SpaceStreams } from "./open-space-stream.ts";
import { pollFollowedSpaces } from "./poll-followed-spaces.ts";
import type { SpacePollReport } from "./poll-space-runtime.ts";
import { spaceHubAccess } from "./space-hub-access.ts";
import { spacePollerLeaseName } from "./space-poller-lease-name.ts";

/** How often the poller looks for Spaces whose turn has come; looking costs a store read, no request. */
const TICK_MS = 1_000;

export interface SpaceRuntimePollerOptions {
  store: Store;
  builds: SpaceBuildRegistry;
  fetch: typeof fetch;
  hubUrl: string;
  /** Needed for private Spaces; sent as a bearer token and nowhere else. */
  accessToken?: string;
  clock?: PollerClock;
  logger: Logger;
  /** Called with the events a poll queued, e.g. to wake the worker. */
  onEvents?: (events: BridgeEvent[]) => void;
  onPollOutcome?: PollOutcomeListener;
  /**
   * Follow building Spaces through the Hub's status stream, polling only while it is refused or
   * silent (default true).
   */
  streams?: boolean;
  /**
   * Set when other replicas share the store (PostgreSQL): each Space is then polled and streamed
   * only by the replica holding its lease (`space-poller:<owner/name>`), `holder` naming this one.
   * Unset (SQLite, one process), every followed Space is polled here, as without replicas.
   */
  lease?: { holder: string };
}

export interface SpaceRuntimePoller {
  /** Polls the followed Spaces whose turn has come (all of them with `force`), once, now. */
  pollOnce(options?: { force?: boolean }): Promise<SpacePollReport[]>;
  /** Polls on each Space's own schedule until `stop`. */
  start(): void;
  /** Cancels the schedule and waits for a poll in flight. */
  stop(): Promise<void>;
}

/**
 * Follows the Space builds the check-run executor registered: one runtime request per Space per
 * turn (shared by every GitHub repo following it), a queued `space.stage-changed` event per stage
 * change, superseded and timed-out builds reported once, and nothing more once a stage is terminal.
 */
export function createSpaceRuntimePoller(options: SpaceRuntimePollerOptions): SpaceRuntimePoller {
  const { store, builds, logger, onEvents, onPollOutcome } = options;
  const clock = options.clock ?? systemPollerClock();
  const following: SpaceFollowing = { store, builds, hub: spaceHubAccess(options), logger };
  const leases: SpaceLeases | undefined = options.lease && {
    holder: options.lease.holder,
    held: new Set(),
  };
  // Polls and stream events take turns: both move the same builds along.
  const turns = createTurnQueue();
  const streams: SpaceStreams = {
    states: new Map(),
    hub: following.hub,
    clock,
    logger,
    onReading: (space, reading) =>
      turns.take(() =>
        applyStreamReading(
          { ...following, states: streams.states, clock, onEvents },
          space,
          reading,
        ),
      ),
  };
  const polling = {
    ...following,
    schedules: new Map<string, SpaceSchedule>(),
    onPollOutcome,
    clock,
    streams,
    useStreams: options.streams ?? true,
    leases,
    onEvents,
  };
  let timer: unknown;
  let inFlight: Promise<unknown> | undefined;
  let stopped = true;

  function pollOnce(force: boolean): Promise<SpacePollReport[]> {
    return turns.take(() => pollFollowedSpaces(polling, force));
  }

  function tick(): void {
    timer = undefined;
    inFlight = pollOnce(false)
      .catch((error: unknown) => logger.error({ err: error }, "Space runtime poller failed"))
      .finally(() => {
        inFlight = undefined;
        if (!stopped) timer = clock.setTimeout(tick, TICK_MS);
      });
  }

  return {
    pollOnce: (pollOptions) => pollOnce(pollOptions?.force ?? false),
    start() {
      if (!stopped) return;
      stopped = false;
      timer = clock.setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      for (const space of [...streams.states.keys()]) closeSpaceStream(streams.states, space);
      await inFlight;
      await turns.idle();
      if (leases) {
        await releasePollerLeases({ store, ...leases, leaseName: spacePollerLeaseName });
      }
    },
  };
}
