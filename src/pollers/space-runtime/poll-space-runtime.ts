import { SpaceRuntimeError, spaceFetchRuntime } from "../../hub/space-fetch-runtime.ts";
import type { PollOutcomeListener } from "../poll-outcome-listener.ts";
import { applySpaceReading, type SpaceFollowing } from "./apply-space-reading.ts";
import type { SpaceSchedule } from "./first-space-schedule.ts";
import type { SpaceFollowers } from "./group-current-by-space.ts";
import type { SpaceStageEvent } from "./queue-space-stage-event.ts";
import { spacePollDelay } from "./space-poll-delay.ts";

export interface SpacePollReport {
  space: string;
  ok: boolean;
  stage?: string;
  queued: number;
  nextDelayMs: number;
  error?: string;
}

/** One runtime request for a Space, its reading applied to the builds following it, and its next turn. */
export async function pollSpaceRuntime(
  polling: SpaceFollowing & {
    schedules: Map<string, SpaceSchedule>;
    onPollOutcome: PollOutcomeListener | undefined;
  },
  input: {
    space: string;
    followers: SpaceFollowers;
    schedule: SpaceSchedule;
    now: Date;
    events: SpaceStageEvent[];
  },
): Promise<SpacePollReport> {
  const { hub, logger, schedules, onPollOutcome } = polling;
  const { space, followers, schedule, now, events } = input;
  const before = events.length;
  try {
    const reading = await spaceFetchRuntime({ ...hub, space, now });
    const changed = await applySpaceReading(polling, { space, followers, reading, now, events });
    const nextDelayMs = spacePollDelay({
      previousDelayMs: schedule.delayMs,
      stageChanged: changed,
      failures: 0,
    });
    schedules.set(space, {
      dueAt: now.getTime() + nextDelayMs,
      delayMs: nextDelayMs,
      failures: 0,
    });
    onPollOutcome?.(`Space ${space}`, { ok: true }, now);
    return { space, ok: true, stage: reading.stage, queued: events.length - before, nextDelayMs };
  } catch (error) {
    const failures = schedule.failures + 1;
    const nextDelayMs = spacePollDelay({
      previousDelayMs: schedule.delayMs,
      stageChanged: false,
      failures,
      ...(error instanceof SpaceRuntimeError && error.retryAfterMs !== undefined
        ? { retryAfterMs: error.retryAfterMs }
        : {}),
    });
    schedules.set(space, {
      dueAt: now.getTime() + nextDelayMs,
      delayMs: schedule.delayMs,
      failures,
    });
    const message = error instanceof Error ? error.message : String(error);
    logger.warn({ space, failures, nextDelayMs, reason: message }, "Space runtime poll failed");
    onPollOutcome?.(`Space ${space}`, { ok: false, error: message }, now);
    return { space, ok: false, queued: events.length - before, nextDelayMs, error: message };
  }
}
