import type { Effect } from "../rules/effect.ts";
import type { OctokitFactory } from "./create-octokit-factory.ts";
import type { EffectRun } from "./effect-run.ts";
import { executeCheckRunEffect } from "./execute-check-run-effect.ts";
import { executeCommentEffect } from "./execute-comment-effect.ts";
import { executeDispatchEffect } from "./execute-dispatch-effect.ts";
import { executeIssueEffect } from "./execute-issue-effect.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "./executor.ts";
import { sendGitHubRequest } from "./send-github-request.ts";
import type { WriteThrottle } from "./write-throttle.ts";

/**
 * A request GitHub has not answered by then is treated as lost: reads and updates are retried by the
 * worker, creates look for their object before ever being sent again.
 */
const REQUEST_TIMEOUT_MS = 30_000;

export interface GitHubExecutorOptions {
  octokitFactory: OctokitFactory;
  /** Shared by every executor in the process, so one installation's limits hold across workers. */
  throttle: WriteThrottle;
  /** Secret that signs the hidden link markers in bodies the bridge writes. */
  markerKey: string;
  now?: () => number;
}

/** Performs planned effects against GitHub: idempotent creates, throttled writes, mapped errors. */
export function createGitHubExecutor(options: GitHubExecutorOptions): Executor {
  const { octokitFactory, throttle, markerKey } = options;
  const now = options.now ?? (() => Date.now());
  if (markerKey.length === 0) {
    throw new Error("markerKey is empty; set the bridge's marker secret (a long random string)");
  }

  async function execute(effect: Effect, context: ExecutionContext): Promise<ExecutedEffect> {
    const client = await octokitFactory.forRepo(effect.repo);
    const run: EffectRun = {
      client,
      store: context.store,
      job: context.job,
      markerKey,
      repoName: `${effect.repo.owner}/${effect.repo.repo}`,
      send: (kind, description, request) =>
        sendGitHubRequest({
          client,
          throttle,
          kind,
          description,
          now,
          send: () => request({ signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
        }),
    };
    switch (effect.type) {
      case "create-issue":
      case "update-issue":
      case "close-issue":
      case "reopen-issue":
      case "add-labels":
      case "remove-labels":
        return executeIssueEffect(run, effect);
      case "create-comment":
      case "update-comment":
      case "delete-comment":
        return executeCommentEffect(run, effect);
      case "create-check-run":
      case "update-check-run":
        return executeCheckRunEffect(run, effect);
      case "repository-dispatch":
      case "workflow-dispatch":
        return executeDispatchEffect(run, effect);
    }
  }

  return { mode: "github", execute };
}
