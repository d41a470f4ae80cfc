import type { PlannedEffect } from "../../effects/effect.ts";
import type { EffectResult } from "../../store/store.ts";

/** What one effect did (or, planned in dry-run, would do), in words an operator reads at a glance. */
export function describeEffectInWords(
  effect: PlannedEffect,
  result: EffectResult | undefined,
): string {
  const repo = `${effect.repo.owner}/${effect.repo.repo}`;
  const planned = result === undefined || result.status === "planned";
  const [done, would] = phrases(effect);
  const sentence = `${planned ? `Would ${would}` : done} in ${repo}`;
  if (result?.status === "skipped")
    return `${sentence}: nothing to do${result.detail ? ` (${result.detail})` : ""}`;
  if (result?.status === "accepted") return `${sentence} (GitHub accepted it; no run id yet)`;
  return sentence;
}

function phrases(effect: PlannedEffect): [string, string] {
  switch (effect.type) {
    case "create-issue":
      return [`Opened issue “${effect.title}”`, `open issue “${effect.title}”`];
    case "update-issue":
      return ["Updated the issue", "update the issue"];
    case "close-issue":
      return ["Closed the issue", "close the issue"];
    case "reopen-issue":
      return ["Reopened the issue", "reopen the issue"];
    case "add-labels":
      return [
        `Labelled the issue ${effect.labels.join(", ")}`,
        `label the issue ${effect.labels.join(", ")}`,
      ];
    case "remove-labels":
      return [
        `Removed the labels ${effect.labels.join(", ")}`,
        `remove the labels ${effect.labels.join(", ")}`,
      ];
    case "create-comment":
      return ["Commented on the issue", "comment on the issue"];
    case "update-comment":
      return ["Edited the comment", "edit the comment"];
    case "delete-comment":
      return ["Deleted the comment", "delete the comment"];
    case "create-check-run":
      return [
        `Created check run “${effect.name}” on ${effect.headSha.slice(0, 7)}`,
        `create check run “${effect.name}” on ${effect.headSha.slice(0, 7)}`,
      ];
    case "update-check-run":
      return [
        `Updated the check run (${effect.conclusion ?? effect.status ?? "output"})`,
        "update the check run",
      ];
    case "repository-dispatch":
      return [`Sent the dispatch ${effect.eventType}`, `send the dispatch ${effect.eventType}`];
    case "workflow-dispatch":
      return [
        `Started workflow ${effect.workflow} on ${effect.ref}`,
        `start workflow ${effect.workflow} on ${effect.ref}`,
      ];
    case "create-hub-comment":
      return ["Replied on the Hub discussion", "reply on the Hub discussion"];
    case "close-hub-discussion":
      return ["Closed the Hub discussion", "close the Hub discussion"];
    case "report-workflow-run":
      return [
        `Reported run ${effect.run.id} (${effect.run.conclusion}) on the Hub pull request`,
        "report the run on the Hub pull request",
      ];
  }
}
