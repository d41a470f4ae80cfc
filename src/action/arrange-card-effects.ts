import type { Effect } from "../effects/effect.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import { renderEndpointCardState } from "./render-endpoint-card-state.ts";

/**
 * The planner's effects for one event, ordered so the card's hidden state is written last: a run that
 * dies halfway leaves the old state, and the next run repeats the transition (comments are looked up
 * by their marker first, so they are not posted twice) instead of losing its alert.
 *
 * An existing card is written once, by the final update carrying the state; the planner's
 * create-issue would only PATCH the same card a second time. A new card is created first (its labels
 * and comments need it) and then gets its state from that final update.
 *
 * Check runs on the model revision's commit are left to the bridge: the Action has no commit matching,
 * and a Hub SHA that is not a GitHub commit would fail the job on every run.
 */
export function arrangeCardEffects(
  event: BridgeEvent,
  effects: readonly Effect[],
  cardExists: boolean,
): Effect[] {
  if (event.kind !== "endpoint.state-changed") return [...effects];
  const state = renderEndpointCardState({
    snapshot: event.endpoint,
    history: event.history ?? [],
  });
  const updates: Effect[] = [];
  const others: Effect[] = [];
  for (const effect of effects) {
    if (effect.type === "create-check-run" && effect.commitMatch !== undefined) continue;
    if (effect.type === "update-issue") {
      updates.push({ ...effect, body: `${effect.body ?? ""}\n\n${state}` });
    } else if (effect.type !== "create-issue" || !cardExists) {
      others.push(effect);
    }
  }
  return [...others, ...updates];
}
