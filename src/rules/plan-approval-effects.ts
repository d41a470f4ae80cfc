import type { Route } from "../config/config-schema.ts";
import type { Effect } from "../effects/effect.ts";
import type { GitHubEvent } from "../events/bridge-event.ts";
import type { PlannedEffects } from "./planned-effects.ts";
import { toGitHubRepoRef } from "./to-github-repo-ref.ts";

/** A comment whose first line is `/approve` approves the held CI run of the Hub PR the issue mirrors. */
const APPROVE_COMMAND = /^\s*\/approve\s*$/m;
/** Adding this label to the mirrored issue approves the same way. */
export const APPROVED_LABEL = "hub-pr:approved";

/**
 * The approval a maintainer's `/approve` comment (or the `hub-pr:approved` label) asks for, on every route into the issue's repository
 * with `pullRequests`. Who wrote it and which commit waits are checked when the effect runs (I/O).
 * Undefined when the comment is no approval, so it is written back like any other reply.
 */
export function planApprovalEffects(
  event: Extract<GitHubEvent, { kind: "github.comment-created" | "github.issue-labeled" }>,
  routes: readonly Route[],
): PlannedEffects | undefined {
  let login: string;
  let via: string;
  if (event.kind === "github.comment-created") {
    const firstLine = event.reply.body.split("\n", 1)[0] ?? "";
    if (!APPROVE_COMMAND.test(firstLine)) return undefined;
    login = event.reply.author;
    via = `comment ${event.reply.id}`;
  } else {
    if (event.label.toLowerCase() !== APPROVED_LABEL) return undefined;
    login = event.labeledBy;
    via = `label by ${login}`;
  }
  const repoName = `${event.issue.owner}/${event.issue.name}`;
  const gated = routes.filter(
    (route) =>
      route.pullRequests !== undefined && route.github.toLowerCase() === repoName.toLowerCase(),
  );
  const effects: Effect[] = gated.flatMap((route) =>
    route.pullRequests
      ? [
          {
            type: "workflow-dispatch" as const,
            idempotencyKey: `pr-approval:${repoName.toLowerCase()}#${event.issue.number}:${via}:${route.pullRequests.workflow}`,
            repo: toGitHubRepoRef(route.github),
            workflow: route.pullRequests.workflow,
            ref: route.pullRequests.workflowRef,
            approval: {
              discussion: event.issue.mirrors,
              login,
              issueNumber: event.issue.number,
              via,
            },
          },
        ]
      : [],
  );
  if (effects.length > 0) return { effects };
  return {
    effects: [],
    reason: `approval on ${repoName}: no route into it has pullRequests, so no run waits for approval`,
  };
}
