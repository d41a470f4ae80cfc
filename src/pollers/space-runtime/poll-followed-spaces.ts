import type { PollerClock } from "../system-poller-clock.ts";
import { closeSpaceStream } from "./close-space-stream.ts";
import { firstSpaceSchedule } from "./first-space-schedule.ts";
import { groupCurrentBySpace } from "./group-current-by-space.ts";
import { holdsSpaceLease, type SpaceLeases } from "./holds-space-lease.ts";
import type { SpaceStreams } from "./open-space-stream.ts";
import { pollSpaceRuntime, type SpacePollReport } from "./poll-space-runtime.ts";
import type { SpaceStageEvent } from "./queue-space-stage-event.ts";
import { reportEndedBuilds } from "./report-ended-builds.ts";
import { streamCoversSpace } from "./stream-covers-space.ts";

/**
 * One turn over the followed builds: ended ones reported, then each Space whose turn has come (all of
 * them with `force`) asked for its runtime, unless another replica follows it or its stream does.
 */
export async function pollFollowedSpaces(
  polling: Parameters<typeof pollSpaceRuntime>[0] & {
    clock: PollerClock;
    streams: SpaceStreams;
    useStreams: boolean;
    leases: SpaceLeases | undefined;
    onEvents: ((events: SpaceStageEvent[]) => void) | undefined;
  },
  force: boolean,
): Promise<SpacePollReport[]> {
  const { store, builds, logger, clock, schedules, streams, useStreams, leases, onEvents } =
    polling;
  const now = clock.now();
  const events: SpaceStageEvent[] = [];
  try {
    const followed = await builds.read();
    await reportEndedBuilds({ store, builds, followed, now, events });
    const bySpace = groupCurrentBySpace(await builds.read());
    for (const space of schedules.keys()) if (!bySpace.has(space)) schedules.delete(space);
    for (const space of streams.states.keys()) {
      if (!bySpace.has(space)) closeSpaceStream(streams.states, space);
    }
    const reports: SpacePollReport[] = [];
    for (const [space, current] of bySpace) {
      const schedule = schedules.get(space) ?? firstSpaceSchedule(current);
      schedules.set(space, schedule);
      // Another replica follows this Space (a forced poll is a test's or operator's, and asks anyway).
      if (!force && !(await holdsSpaceLease({ store, logger, leases, space, now }))) {
        if (streams.states.has(space)) closeSpaceStream(streams.states, space);
        // A takeover later polls at once, as a first poll does.
        schedules.delete(space);
        continue;
      }
      // A forced poll asks the runtime even while a stream follows the Space.
      if (useStreams && streamCoversSpace(streams, space, now.getTime()) && !force) continue;
      if (!force && schedule.dueAt > now.getTime()) continue;
      reports.push(
        await pollSpaceRuntime(polling, { space, followers: current, schedule, now, events }),
      );
    }
    return reports;
  } finally {
    if (events.length > 0) onEvents?.(events);
  }
}
