import type { HubEffect, PlannedEffect } from "./effect.ts";

/** Whether a planned effect writes to the Hub rather than to GitHub. */
export function isHubEffect(effect: PlannedEffect): effect is HubEffect {
  return (
    effect.type === "create-hub-comment" ||
    effect.type === "close-hub-discussion" ||
    effect.type === "report-workflow-run"
  );
}
