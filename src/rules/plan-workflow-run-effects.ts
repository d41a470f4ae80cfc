import type { Route } from "../config/config-schema.ts";
import type { HubEffect } from "../effects/effect.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import type { PlannedEffects } from "./planned-effects.ts";
import { toGitHubRepoRef } from "./to-github-repo-ref.ts";

type WorkflowRunCompleted = Extract<BridgeEvent, { kind: "github.workflow-run-completed" }>;

/**
 * The result of a finished run of a route's Hub PR workflow, to report where the PR is. Only runs of
 * `pullRequests.workflow` (its file, or its id) in the route's repository count; whether the bridge
 * started this very run, and for which PR, is recorded state the executor reads. Keyed by run and
 * attempt, so a redelivered webhook reports once and a re-run reports again.
 */
export function planWorkflowRunEffects(
  event: WorkflowRunCompleted,
  routes: readonly Route[],
): PlannedEffects<HubEffect> {
  const { repository, run } = event;
  const repoName = `${repository.owner}/${repository.name}`;
  const file = run.workflowPath.split("/").pop() ?? run.workflowPath;
  const route = routes.find(
    (candidate) =>
      candidate.github.toLowerCase() === repoName.toLowerCase() &&
      (candidate.pullRequests?.workflow === file ||
        candidate.pullRequests?.workflow === String(run.workflowId)),
  );
  if (route === undefined) {
    return {
      effects: [],
      reason: `no route into ${repoName} runs Hub PR CI with ${file} (pullRequests.workflow)`,
    };
  }
  return {
    effects: [
      {
        type: "report-workflow-run",
        idempotencyKey: `workflow-run-report:${repoName.toLowerCase()}:${run.id}:${run.attempt}`,
        repo: toGitHubRepoRef(route.github),
        run,
      },
    ],
  };
}
