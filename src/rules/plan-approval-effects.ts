import type { BridgeConfig } from "../config/config-schema.ts";
import type { GitHubEvent } from "../events/bridge-event.ts";
import type { Effect } from "./effect.ts";
import type { PlannedEffects } from "./plan-effects.ts";
import { toGitHubRepoRef } from "./to-github-repo-ref.ts";

/** A comment whose first line is `/approve` approves the held CI run of the Hub PR the issue mirrors. */
export const APPROVE_COMMAND = /^\s*\/approve\s*$/m;

/**
 * The approval a maintainer's `/approve` comment asks for, on every route into the issue's repository
 * with `pullRequests`. Who wrote it and which commit waits are checked when the effect runs (I/O).
 * Undefined when the comment is no approval, so it is written back like any other reply.
 */
export function planApprovalEffects(
  event: Extract<GitHubEvent, { kind: "github.comment-created" }>,
  config: BridgeConfig,
): PlannedEffects | undefined {
  const firstLine = event.reply.body.split("\n", 1)[0] ?? "";
  if (!APPROVE_COMMAND.test(firstLine)) return undefined;
  const repoName = `${event.issue.owner}/${event.issue.name}`;
  const routes = config.routes.filter(
    (route) =>
      route.pullRequests !== undefined && route.github.toLowerCase() === repoName.toLowerCase(),
  );
  const effects: Effect[] = routes.flatMap((route) =>
    route.pullRequests
      ? [
          {
            type: "workflow-dispatch" as const,
            idempotencyKey: `pr-approval:${repoName.toLowerCase()}:${event.reply.id}:${route.pullRequests.workflow}`,
            repo: toGitHubRepoRef(route.github),
            workflow: route.pullRequests.workflow,
            ref: route.pullRequests.workflowRef,
            approval: {
              discussion: event.issue.mirrors,
              login: event.reply.author,
              issueNumber: event.issue.number,
              commentId: event.reply.id,
            },
          },
        ]
      : [],
  );
  if (effects.length > 0) return { effects };
  return {
    effects: [],
    reason: `/approve on ${repoName}: no route into it has pullRequests, so no run waits for approval`,
  };
}
