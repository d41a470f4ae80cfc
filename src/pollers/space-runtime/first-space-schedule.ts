import type { SpaceFollowers } from "./group-current-by-space.ts";
import { SPACE_FIRST_DELAY_MS } from "./space-poll-delay.ts";

/** When a followed Space is next asked for its runtime, and how that went lately. */
export interface SpaceSchedule {
  dueAt: number;
  delayMs: number;
  failures: number;
}

/** A Space's first runtime request waits for the first delay after its oldest build started. */
export function firstSpaceSchedule(followers: SpaceFollowers): SpaceSchedule {
  const started = Math.min(...followers.map(([, build]) => Date.parse(build.startedAt)));
  return { dueAt: started + SPACE_FIRST_DELAY_MS, delayMs: SPACE_FIRST_DELAY_MS, failures: 0 };
}
