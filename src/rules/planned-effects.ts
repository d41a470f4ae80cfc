import type { Effect, PlannedEffect } from "../effects/effect.ts";

/** What a planner returns; feature planners plan GitHub writes only, the write-back planner Hub writes. */
export interface PlannedEffects<E extends PlannedEffect = Effect> {
  effects: E[];
  /** Why nothing applies; present exactly when `effects` is empty. */
  reason?: string;
  /** What the plan left out on purpose, and why (limits), for the job's outcome. */
  refused?: string[];
}
