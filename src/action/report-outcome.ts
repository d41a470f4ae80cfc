import { getOctokit } from "@actions/github";
import { editHubComment } from "../hub/edit-hub-comment.ts";
import { findHubStatusComment } from "../hub/find-hub-status-comment.ts";
import { postHubComment } from "../hub/post-hub-comment.ts";
import {
  renderOutcomeComment,
  type WorkflowStatus,
} from "../pull-requests/render-outcome-comment.ts";
import {
  renderStatusComment,
  statusCommentMarker,
} from "../pull-requests/render-status-comment.ts";
import { fetchWithTimeout } from "../util/fetch-with-timeout.ts";
import { ActionInputError } from "./action-input-error.ts";
import { commentOnEndpointCard } from "./comment-on-endpoint-card.ts";
import type { DispatchPayload } from "./read-dispatch-payload.ts";

/** A few reads and one comment; a GitHub call still open by then fails the step instead of holding the runner. */
const GITHUB_REQUEST_TIMEOUT_MS = 30_000;

interface ReportOptions {
  payload: DispatchPayload;
  status: WorkflowStatus;
  summary?: string;
  /** From the `discussion` input; wins over what the payload says. */
  discussion?: number;
  hfToken?: string;
  hubUrl: string;
  githubToken: string;
  githubApiUrl: string;
  /** `owner/repo` the workflow runs in (GITHUB_REPOSITORY), which holds endpoint cards. */
  repository: string;
  workflow: string;
  runUrl: string;
  runKey: string;
  /** From the started-at input: when the run began, for the duration shown on the Hub. */
  startedAt?: Date;
  now?: () => Date;
  fetch?: typeof fetch;
}

type ReportResult =
  | { target: "hub-discussion"; url: string; commentId: string; created: boolean }
  | { target: "endpoint-card"; url: string; commentId: string; created: boolean };

/**
 * Posts the workflow's outcome where the dispatch came from: the Hub discussion or PR (payload
 * `discussion`, or a `refs/pr/<n>` ref), else the endpoint's card. On the Hub it keeps one status
 * comment per workflow, found by its hidden marker and edited in place for each new run.
 */
export async function reportOutcome(options: ReportOptions): Promise<ReportResult> {
  const { payload } = options;
  const text = renderOutcomeComment({
    status: options.status,
    workflow: options.workflow,
    runUrl: options.runUrl,
    ...(options.summary ? { summary: options.summary } : {}),
  });
  const discussion = options.discussion ?? payload.discussion;
  if (discussion !== undefined) {
    if (payload.repo === undefined || payload.repoType === undefined) {
      throw new ActionInputError(
        `discussion #${discussion} is to be reported to, but the dispatch payload names no Hub repo and type (repo ${JSON.stringify(payload.repo ?? "")}, repo-type ${JSON.stringify(payload.repoType ?? "")}); start the workflow from the bridge's dispatch, or pass repo and type as workflow inputs`,
      );
    }
    if (!options.hfToken) {
      throw new ActionInputError(
        `hf-token is empty, but reporting to a Hub discussion needs a Hub token with write access; pass hf-token: \${{ secrets.HF_TOKEN }}, or go keyless: give the job "permissions: id-token: write" (the runner offers no OIDC ID token without it) and add this workflow as a trusted publisher in ${payload.repo}'s Hub Settings → Trusted Publishers`,
      );
    }
    const target = {
      hubUrl: options.hubUrl,
      hfToken: options.hfToken,
      repoType: payload.repoType,
      repo: payload.repo,
      discussion,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    const statusText = renderStatusComment({
      status: options.status,
      workflow: options.workflow,
      runUrl: options.runUrl,
      ...(payload.sha ? { sha: payload.sha } : {}),
      ...(options.startedAt
        ? { durationMs: (options.now?.() ?? new Date()).getTime() - options.startedAt.getTime() }
        : {}),
      ...(options.summary ? { summary: options.summary } : {}),
    });
    const existing = await findHubStatusComment({
      ...target,
      marker: statusCommentMarker(options.workflow),
    });
    const { id } = existing
      ? await editHubComment({ ...target, commentId: existing, text: statusText })
      : await postHubComment({ ...target, text: statusText });
    const hubPath = payload.repoType === "model" ? "" : `/${payload.repoType}s`;
    return {
      target: "hub-discussion",
      url: `${options.hubUrl.replace(/\/+$/, "")}${hubPath}/${payload.repo}/discussions/${discussion}`,
      commentId: id,
      created: existing === undefined,
    };
  }
  if (payload.endpoint !== undefined) {
    const [owner = "", repo = ""] = options.repository.split("/");
    const comment = await commentOnEndpointCard({
      octokit: getOctokit(options.githubToken, {
        baseUrl: options.githubApiUrl,
        request: { fetch: fetchWithTimeout(GITHUB_REQUEST_TIMEOUT_MS) },
      }),
      owner,
      repo,
      endpoint: payload.endpoint,
      text,
      runKey: options.runKey,
    });
    return {
      target: "endpoint-card",
      url: comment.url,
      commentId: String(comment.id),
      created: comment.created,
    };
  }
  throw new ActionInputError(
    `the dispatch payload (event ${JSON.stringify(payload.eventType)}) names neither a Hub discussion (a "discussion" number or a refs/pr/<n> ref) nor an endpoint, so there is nowhere to report to; pass the discussion input to name the Hub discussion`,
  );
}
