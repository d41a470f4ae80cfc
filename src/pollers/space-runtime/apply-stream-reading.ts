import type { SpaceRuntimeReading } from "../../hub/space-fetch-runtime.ts";
import { classifySpaceStage } from "../../rules/classify-space-stage.ts";
import type { PollerClock } from "../system-poller-clock.ts";
import { applySpaceReading, type SpaceFollowing } from "./apply-space-reading.ts";
import { closeSpaceStream } from "./close-space-stream.ts";
import { groupCurrentBySpace } from "./group-current-by-space.ts";
import type { StreamState } from "./open-space-stream.ts";
import type { SpaceStageEvent } from "./queue-space-stage-event.ts";

/** Applies a reading the Space's status stream delivered; the stream closes once nothing is left to follow. */
export async function applyStreamReading(
  following: SpaceFollowing & {
    states: Map<string, StreamState>;
    clock: PollerClock;
    onEvents: ((events: SpaceStageEvent[]) => void) | undefined;
  },
  space: string,
  reading: SpaceRuntimeReading,
): Promise<void> {
  const { builds, states, clock, onEvents } = following;
  const followers = groupCurrentBySpace(await builds.read()).get(space);
  if (!followers) {
    closeSpaceStream(states, space);
    return;
  }
  const events: SpaceStageEvent[] = [];
  try {
    await applySpaceReading(following, { space, followers, reading, now: clock.now(), events });
  } finally {
    if (events.length > 0) onEvents?.(events);
  }
  // Nothing more to follow once the stage is terminal.
  if (classifySpaceStage(reading.stage) !== "in-progress") closeSpaceStream(states, space);
}
