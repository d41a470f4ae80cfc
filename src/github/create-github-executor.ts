import type { Effect } from "../effects/effect.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../jobs/executor.ts";
import type { OctokitFactory } from "./create-octokit-factory.ts";
import type { EffectRun } from "./effect-run.ts";
import { executeCheckRunEffect } from "./execute-check-run-effect.ts";
import { executeCommentEffect } from "./execute-comment-effect.ts";
import { executeDispatchEffect } from "./execute-dispatch-effect.ts";
import { executeIssueEffect } from "./execute-issue-effect.ts";
import { sendGitHubRequest } from "./send-github-request.ts";
import type { WriteThrottle } from "./write-throttle.ts";

/**
 * A request GitHub has not answered by then is treated as lost: reads and updates are retried by the
 * worker, creates look for their object before ever being sent again.
 */
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * How long past the client timeout a create we gave up on may still land. GitHub ends requests it has
 * not answered in 10 s, so this is generous; it also covers a proxy or a slow replica in between.
 */
export const LOST_CREATE_MARGIN_MS = 30_000;

interface GitHubExecutorOptions {
  octokitFactory: OctokitFactory;
  /** Shared by every executor in the process, so one installation's limits hold across workers. */
  throttle: WriteThrottle;
  /** Secret that signs the hidden link markers in bodies the bridge writes. */
  markerKey: string;
  now?: () => number;
  /**
   * The signal that ends a request after `ms` on the same clock as `now`: the lost-create window and
   * the shared write slot's hold are counted on that clock, so the request's timeout must be too.
   */
  timeout?: (ms: number) => AbortSignal;
  /** Default REQUEST_TIMEOUT_MS; tests shorten it together with the margin below. */
  requestTimeoutMs?: number;
  /** Default LOST_CREATE_MARGIN_MS. */
  lostCreateMarginMs?: number;
}

/** Performs planned effects against GitHub: idempotent creates, throttled writes, mapped errors. */
export function createGitHubExecutor(options: GitHubExecutorOptions): Executor {
  const { octokitFactory, throttle, markerKey } = options;
  const now = options.now ?? (() => Date.now());
  const timeout = options.timeout ?? ((ms: number) => AbortSignal.timeout(ms));
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const lostCreateSettleMs =
    requestTimeoutMs + (options.lostCreateMarginMs ?? LOST_CREATE_MARGIN_MS);
  if (markerKey.length === 0) {
    throw new Error("markerKey is empty; set the bridge's marker secret (a long random string)");
  }

  async function execute(effect: Effect, context: ExecutionContext): Promise<ExecutedEffect> {
    context.signal.throwIfAborted();
    const client = await octokitFactory.forRepo(effect.repo);
    const run: EffectRun = {
      client,
      store: context.store,
      job: context.job,
      markerKey,
      repoName: `${effect.repo.owner}/${effect.repo.repo}`,
      now,
      lostCreateSettleMs,
      send: (kind, description, request, sendOptions) =>
        sendGitHubRequest({
          client,
          throttle,
          kind,
          description,
          now,
          signal: context.signal,
          ...(sendOptions?.beforeSend ? { beforeSend: sendOptions.beforeSend } : {}),
          // Not tied to the job's signal: abandoning a request already sent would only turn a known
          // answer into an unknown one.
          send: () => request({ signal: timeout(requestTimeoutMs) }),
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
