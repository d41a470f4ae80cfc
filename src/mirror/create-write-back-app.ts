import type { ApplicationFunction } from "probot";
import { type GitHubCommentPayload, handleGitHubComment } from "./handle-github-comment.ts";
import {
  type GitHubIssueClosedPayload,
  handleGitHubIssueClosed,
} from "./handle-github-issue-closed.ts";
import type { WriteBackDeps, WriteBackOutcome } from "./write-back-deps.ts";

/**
 * The Probot app for GitHub → Hub write-back, to mount with `createProbotMiddleware`. Every decision
 * is logged with its reason, so an ignored comment can be explained.
 */
export function createWriteBackApp(deps: WriteBackDeps): ApplicationFunction {
  const report = (what: string, outcome: WriteBackOutcome) =>
    deps.log.info({ writeBack: what, ...outcome }, `write-back ${what}: ${outcome.action}`);
  return (app) => {
    app.on("issue_comment.created", async (context) => {
      report("comment", await handleGitHubComment(deps, context.payload as GitHubCommentPayload));
    });
    app.on("issues.closed", async (context) => {
      report(
        "close",
        await handleGitHubIssueClosed(deps, context.payload as GitHubIssueClosedPayload),
      );
    });
  };
}
