import type { BridgeConfig } from "../config/config-schema.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import type { Effect } from "./effect.ts";
import { planDiscussionEffects } from "./plan-discussion-effects.ts";
import { planDispatchEffects } from "./plan-dispatch-effects.ts";

export interface PlannedEffects {
  effects: Effect[];
  /** Why nothing applies; present exactly when `effects` is empty. */
  reason?: string;
}

/**
 * What GitHub should see for one event under one config. Pure: no I/O, no clock, no randomness, so
 * a retried job plans the same effects with the same idempotency keys.
 */
export function planEffects(event: BridgeEvent, config: BridgeConfig): PlannedEffects {
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
      return planDispatchEffects(event, config.routes);
    default:
      return { effects: [], reason: `"${event.kind}" events plan no GitHub effects yet` };
  }
}
