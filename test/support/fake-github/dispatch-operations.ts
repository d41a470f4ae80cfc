import { findRepo } from "./find-repo.ts";
import { githubError } from "./github-error.ts";
import type { OperationTable } from "./types.ts";

/** repos/create-dispatch-event and actions/create-workflow-dispatch. */
export function dispatchOperations(): OperationTable {
  return {
    "repos/create-dispatch-event": (request, state) => {
      const repo = findRepo(state, request);
      if (!repo) return githubError(404, "Not Found");
      const write = request.body as {
        event_type: string;
        client_payload?: Record<string, unknown>;
      };
      repo.dispatches.push({
        event_type: write.event_type,
        client_payload: write.client_payload,
        at: state.now(),
      });
      // GitHub answers 204 whether or not any workflow listens for the event.
      return { status: 204 };
    },
    "actions/create-workflow-dispatch": (request, state) => {
      const repo = findRepo(state, request);
      if (!repo) return githubError(404, "Not Found");
      const workflowId = request.pathParams.workflow_id ?? "";
      const workflow = repo.workflows.find(
        (candidate) =>
          String(candidate.id) === workflowId || candidate.path.endsWith(`/${workflowId}`),
      );
      if (!workflow) return githubError(404, "Not Found");
      const write = request.body as {
        ref: string;
        inputs?: Record<string, unknown>;
        return_run_details?: boolean;
      };
      const ref = write.ref.replace(/^refs\/(heads|tags)\//, "");
      if (!repo.branches.has(ref) && !repo.commits.includes(ref)) {
        return githubError(422, `No ref found for: ${write.ref}`);
      }
      const runId = state.nextId++;
      repo.workflowDispatches.push({
        workflowId: workflow.id,
        ref: write.ref,
        inputs: write.inputs,
        runId,
        at: state.now(),
      });
      if (write.return_run_details !== true) return { status: 204 };
      const runPath = `repos/${repo.owner}/${repo.name}/actions/runs/${runId}`;
      return {
        status: 200,
        body: {
          workflow_run_id: runId,
          run_url: `${request.baseUrl}/${runPath}`,
          html_url: `https://github.com/${repo.owner}/${repo.name}/actions/runs/${runId}`,
        },
      };
    },
  };
}
