import type { BridgeConfig } from "../config/config-schema.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import type { Effect, PlannedEffect } from "./effect.ts";
import { planCheckRunEffects } from "./plan-check-run-effects.ts";
import { planDiscussionEffects } from "./plan-discussion-effects.ts";
import { planDispatchEffects } from "./plan-dispatch-effects.ts";
import { planEndpointEffects } from "./plan-endpoint-effects.ts";
import { planSpaceBuildEffects } from "./plan-space-build-effects.ts";
import { planWriteBackEffects } from "./plan-write-back-effects.ts";

/** What a planner returns; feature planners plan GitHub writes only, the write-back planner Hub writes. */
export interface PlannedEffects<E extends PlannedEffect = Effect> {
  effects: E[];
  /** Why nothing applies; present exactly when `effects` is empty. */
  reason?: string;
}

/**
 * What GitHub (or, for replies from GitHub, the Hub) should see for one event under one config. Pure: no I/O, no clock, no randomness, so
 * a retried job plans the same effects with the same idempotency keys.
 */
export function planEffects(
  event: BridgeEvent,
  config: BridgeConfig,
): PlannedEffects<PlannedEffect> {
  switch (event.kind) {
    case "discussion.opened":
    case "discussion.updated":
    case "discussion.closed":
    case "discussion.merged":
    case "discussion.deleted":
    case "comment.created":
    case "comment.edited":
    case "comment.hidden":
      return planDiscussionEffects(event, config.routes);
    case "content.updated":
      return mergePlans(
        planCheckRunEffects(event, config.routes),
        planDispatchEffects(event, config.routes),
      );
    case "endpoint.state-changed":
      return planEndpointEffects(event, config);
    case "space.stage-changed":
      return planSpaceBuildEffects(event);
    case "github.comment-created":
    case "github.issue-closed":
      return planWriteBackEffects(event, config);
    default:
      return { effects: [], reason: `"${event.kind}" events plan no GitHub effects yet` };
  }
}

/** Effects of every plan in order; when there are none, the reasons of the features that are on. */
function mergePlans(...plans: PlannedEffects[]): PlannedEffects {
  const effects = plans.flatMap((plan) => plan.effects);
  if (effects.length > 0) return { effects };
  const reasons = plans.flatMap((plan) => (plan.reason ? [plan.reason] : []));
  return { effects: [], reason: reasons.join("; ") || "nothing to do" };
}
