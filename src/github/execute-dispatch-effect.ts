import type { Effect } from "../effects/effect.ts";
import type { ExecutedEffect } from "../jobs/executor.ts";
import { createOnce } from "./create-once.ts";
import type { EffectRun } from "./effect-run.ts";
import { checkDispatchEventType, shapeClientPayload } from "./shape-client-payload.ts";

type DispatchEffect = Extract<Effect, { type: "repository-dispatch" | "workflow-dispatch" }>;

/**
 * Starts workflows. A dispatch leaves nothing on GitHub to look up, so its create intent only narrows
 * the window: it is recorded right before the request and resolved with the result. A dispatch whose
 * answer was lost, or whose sender died inside that window, is sent again with the same payload once
 * GitHub can no longer be serving the first (see create-once.ts); the payload's `dispatchId` (and the
 * `{{dispatchId}}` input of a workflow_dispatch) lets the workflow drop the repeat.
 */
export async function executeDispatchEffect(
  run: EffectRun,
  effect: DispatchEffect,
): Promise<ExecutedEffect> {
  // Job-scoped: only this job plans this dispatch, and another job's equal key is another event.
  const intentKey = `job:${run.job.id}:${effect.idempotencyKey}`;
  const executed =
    effect.type === "repository-dispatch"
      ? await repositoryDispatch(run, effect, intentKey)
      : await workflowDispatch(run, effect, intentKey);
  return { ...executed, resolvedIntents: [intentKey] };
}

async function repositoryDispatch(
  run: EffectRun,
  effect: Extract<Effect, { type: "repository-dispatch" }>,
  intentKey: string,
): Promise<ExecutedEffect> {
  checkDispatchEventType(effect.eventType);
  const clientPayload = shapeClientPayload(effect.clientPayload);
  const { how } = await createOnce(run, {
    key: intentKey,
    kind: "repository-dispatch",
    what: `repository_dispatch ${effect.eventType}`,
    verb: "sent",
    writeKind: "write",
    description: `send repository_dispatch ${effect.eventType} to ${run.repoName}`,
    post: (request) =>
      run.client.octokit.request("POST /repos/{owner}/{repo}/dispatches", {
        owner: effect.repo.owner,
        repo: effect.repo.repo,
        event_type: effect.eventType,
        client_payload: clientPayload,
        request,
      }),
  });
  // GitHub answers 204 whether or not a workflow listens, and names no run.
  return {
    status: "accepted",
    detail: `${effect.eventType} accepted by GitHub, no run known${how === "sent" ? "" : ` (${how})`}`,
  };
}

async function workflowDispatch(
  run: EffectRun,
  effect: Extract<Effect, { type: "workflow-dispatch" }>,
  intentKey: string,
): Promise<ExecutedEffect> {
  const { value: response, how } = await createOnce(run, {
    key: intentKey,
    kind: "workflow-dispatch",
    what: `workflow_dispatch of ${effect.workflow}`,
    verb: "sent",
    writeKind: "write",
    description: `start workflow ${effect.workflow} on ${effect.ref} in ${run.repoName}`,
    post: (request) =>
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
  });
  const again = how === "sent" ? "" : ` (${how})`;
  // GitHub Enterprise Server versions without run details still answer 204.
  if (response.status !== 200 || !response.data) {
    return {
      status: "accepted",
      detail: `workflow ${effect.workflow} accepted by GitHub, no run known${again}`,
    };
  }
  return {
    status: "done",
    detail: `workflow ${effect.workflow} started run ${response.data.workflow_run_id}${again}`,
    githubId: Number(response.data.workflow_run_id),
    url: response.data.html_url,
  };
}
