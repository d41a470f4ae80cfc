import type { Effect } from "../rules/effect.ts";
import { PermanentJobError } from "../worker/job-errors.ts";
import type { EffectRun } from "./effect-run.ts";
import type { ExecutedEffect } from "./executor.ts";
import { checkDispatchEventType, shapeClientPayload } from "./shape-client-payload.ts";
import { UnknownOutcomeError } from "./unknown-outcome-error.ts";

type DispatchEffect = Extract<Effect, { type: "repository-dispatch" | "workflow-dispatch" }>;

/**
 * Starts workflows. A dispatch leaves nothing to look up afterwards, so one whose answer was lost is
 * not re-sent (that could start the workflow twice): the job dead-letters with that explanation and
 * an operator replays it if no run started.
 */
export async function executeDispatchEffect(
  run: EffectRun,
  effect: DispatchEffect,
): Promise<ExecutedEffect> {
  try {
    return effect.type === "repository-dispatch"
      ? await repositoryDispatch(run, effect)
      : await workflowDispatch(run, effect);
  } catch (error) {
    if (!(error instanceof UnknownOutcomeError)) throw error;
    throw new PermanentJobError(
      `${error.message}; GitHub may have started the workflow, so the dispatch was not re-sent. Check the repository's Actions tab and replay this job if no run started`,
    );
  }
}

async function repositoryDispatch(
  run: EffectRun,
  effect: Extract<Effect, { type: "repository-dispatch" }>,
): Promise<ExecutedEffect> {
  checkDispatchEventType(effect.eventType);
  const clientPayload = shapeClientPayload(effect.clientPayload);
  await run.send(
    "write",
    `send repository_dispatch ${effect.eventType} to ${run.repoName}`,
    (request) =>
      run.client.octokit.request("POST /repos/{owner}/{repo}/dispatches", {
        owner: effect.repo.owner,
        repo: effect.repo.repo,
        event_type: effect.eventType,
        client_payload: clientPayload,
        request,
      }),
  );
  // GitHub answers 204 whether or not a workflow listens, and names no run.
  return { status: "accepted", detail: `${effect.eventType} accepted by GitHub, no run known` };
}

async function workflowDispatch(
  run: EffectRun,
  effect: Extract<Effect, { type: "workflow-dispatch" }>,
): Promise<ExecutedEffect> {
  const response = await run.send(
    "write",
    `start workflow ${effect.workflow} on ${effect.ref} in ${run.repoName}`,
    (request) =>
      run.client.octokit.request(
        "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
        {
          owner: effect.repo.owner,
          repo: effect.repo.repo,
          workflow_id: effect.workflow,
          ref: effect.ref,
          ...(effect.inputs === undefined ? {} : { inputs: effect.inputs }),
          return_run_details: true,
          request,
        },
      ),
  );
  // GitHub Enterprise Server versions without run details still answer 204.
  if (response.status !== 200 || !response.data) {
    return {
      status: "accepted",
      detail: `workflow ${effect.workflow} accepted by GitHub, no run known`,
    };
  }
  return {
    status: "done",
    detail: `workflow ${effect.workflow} started run ${response.data.workflow_run_id}`,
    githubId: Number(response.data.workflow_run_id),
    url: response.data.html_url,
  };
}
