import type { PlannedEffect } from "../effects/effect.ts";
import type { EffectResult } from "../store/store.ts";

/** Titles and names are quoted in full up to this length, so one effect stays on one terminal line. */
const MAX_QUOTED_CHARS = 60;

/**
 * One line for one effect of a job: its kind, what it targets, its outcome with the executor's
 * detail, and the GitHub link it left, e.g.
 * `create-issue acme/widgets "[Hub] Fix the card": done https://github.com/acme/widgets/issues/7`.
 */
export function describeEffect(effect: PlannedEffect, result: EffectResult): string {
  // A planned effect's detail is the dry-run's description of this same effect; `--json` keeps it.
  const detail = result.detail && result.status !== "planned" ? ` (${result.detail})` : "";
  const link = result.url ? ` ${result.url}` : "";
  return `${effect.type} ${describeTarget(effect)}: ${result.status}${detail}${link}`;
}

function describeTarget(effect: PlannedEffect): string {
  const repo = `${effect.repo.owner}/${effect.repo.repo}`;
  switch (effect.type) {
    case "create-issue":
      return `${repo} ${quote(effect.title)}${effect.labels?.length ? ` [${effect.labels.join(", ")}]` : ""}`;
    case "update-issue":
      return effect.title === undefined
        ? `${repo} issue`
        : `${repo} issue → ${quote(effect.title)}`;
    case "close-issue":
      return `${repo} issue as ${effect.reason.replace("_", " ")}`;
    case "reopen-issue":
      return `${repo} issue`;
    case "add-labels":
    case "remove-labels":
      return `${repo} [${effect.labels.join(", ")}]`;
    case "create-comment":
    case "update-comment":
    case "delete-comment":
      return `${repo} comment`;
    case "create-check-run":
      return `${repo} ${quote(effect.name)} on ${effect.headSha.slice(0, 7)} (${effect.conclusion ?? effect.status})`;
    case "update-check-run":
      return `${repo} check run (${effect.conclusion ?? effect.status ?? "output"})`;
    case "repository-dispatch":
      return `${repo} ${effect.eventType}`;
    case "workflow-dispatch":
      return `${repo} ${effect.workflow}@${effect.ref}`;
    case "create-hub-comment":
      return `Hub ${effect.discussion} (reply by ${effect.author} on ${repo}#${effect.issueNumber})`;
    case "close-hub-discussion":
      return `Hub ${effect.discussion} (closed by ${effect.closedBy} on ${repo}#${effect.issueNumber})`;
    case "report-workflow-run":
      return `${repo} run ${effect.run.id} (${effect.run.conclusion})`;
  }
}

function quote(text: string): string {
  const short = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS - 1)}…` : text;
  return JSON.stringify(short);
}
