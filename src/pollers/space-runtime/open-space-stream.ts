import type { Logger } from "pino";
import {
  openSpaceStatusStream,
  type SpaceStatusStream,
} from "../../hub/open-space-status-stream.ts";
import type { SpaceRuntimeReading } from "../../hub/space-fetch-runtime.ts";
import type { PollerClock } from "../system-poller-clock.ts";
import type { SpaceHubAccess } from "./space-hub-access.ts";
import { waitToReopenStream } from "./wait-to-reopen-stream.ts";

export interface StreamState {
  stream: SpaceStatusStream | undefined;
  phase: "connecting" | "live" | "waiting";
  /** Poller-clock time of the phase's start (connecting) or of the last byte (live). */
  since: number;
  retryAt: number;
  drops: number;
  lastEventId: string | undefined;
}

/** The status streams the poller has open or waits to open again, one per followed Space. */
export interface SpaceStreams {
  states: Map<string, StreamState>;
  hub: SpaceHubAccess;
  clock: PollerClock;
  logger: Logger;
  /** Applies a reading a stream delivered (in turn with the polls: both move the same builds). */
  onReading(space: string, reading: SpaceRuntimeReading): Promise<void>;
}

/** Opens the Space's status stream, resuming after the last event a previous one delivered. */
export function openSpaceStream(
  streams: SpaceStreams,
  space: string,
  now: number,
  previous?: StreamState,
): StreamState {
  const { states, hub, clock, logger } = streams;
  const state: StreamState = {
    stream: undefined,
    phase: "connecting",
    since: now,
    retryAt: 0,
    drops: previous?.drops ?? 0,
    lastEventId: previous?.lastEventId,
  };
  states.set(space, state);
  const current = () => states.get(space) === state;
  state.stream = openSpaceStatusStream({
    ...hub,
    space,
    ...(state.lastEventId ? { lastEventId: state.lastEventId } : {}),
    onOpen: () => {
      state.phase = "live";
      state.since = clock.now().getTime();
      state.drops = 0;
    },
    onActivity: () => {
      state.since = clock.now().getTime();
    },
    onReading: (reading, eventId) => {
      if (eventId !== undefined) state.lastEventId = eventId;
      void streams
        .onReading(space, reading)
        .catch((error: unknown) =>
          logger.error({ err: error, space }, "applying a Space status event failed"),
        );
    },
    onEnd: (end) => {
      if (!current()) return;
      logger.info({ space, reason: end.reason }, `Space status stream ${end.kind}; polling`);
      waitToReopenStream(state, clock.now().getTime(), end.kind);
    },
  });
  return state;
}
