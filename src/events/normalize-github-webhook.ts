import type { z } from "zod";
import { readLinkMarker } from "../text/link-marker.ts";
import { describeZodError } from "../util/describe-zod-error.ts";
import type { BridgeEventKind, GitHubEvent, MirroringIssueRef } from "./bridge-event.ts";
import {
  githubIssueCommentSchema,
  githubIssuesSchema,
  githubWorkflowRunSchema,
} from "./github-webhook-schema.ts";

type GitHubWebhookReading =
  | { outcome: "event"; event: GitHubEvent }
  /** Authentic but nothing to do (another event, a bot's own write, an issue nobody mirrors). */
  | { outcome: "ignored"; reason: string; eventKind?: BridgeEventKind }
  /** Authentic but not the payload GitHub documents for the event: refuse with the reasons. */
  | { outcome: "invalid"; reason: string };

const ACTED_ON =
  "the bridge acts on issue_comment.created (write-back, /approve), issues.closed (closeOnHub), issues.labeled (the Hub PR approval label) and workflow_run.completed (Hub PR CI results) only";

/**
 * Turns an authenticated GitHub delivery (`X-GitHub-Event` and its JSON body) into the event the
 * worker writes back to the Hub. The issue's hidden marker, signed with the bridge's `markerKey`,
 * names the Hub discussion it mirrors; a marker someone typed fails the signature.
 */
export function normalizeGitHubWebhook(input: {
  eventName: string;
  payload: unknown;
  markerKey: string;
}): GitHubWebhookReading {
  const { eventName, payload, markerKey } = input;
  const action = (payload as { action?: unknown } | null)?.action;
  if (eventName === "ping") {
    return { outcome: "ignored", reason: "GitHub's ping for a new webhook; nothing to do" };
  }
  if (eventName === "issue_comment" && action === "created") {
    const parsed = githubIssueCommentSchema.safeParse(payload);
    if (!parsed.success) return invalid(eventName, parsed.error, payload);
    const { issue, comment, repository } = parsed.data;
    const kind = "github.comment-created";
    if (comment.user === null || comment.user.type === "Bot") {
      return ignored(kind, "written by a bot (the bridge's own comments included)");
    }
    const mirrored = mirroringIssue(repository, issue, markerKey);
    if (typeof mirrored === "string") return ignored(kind, mirrored);
    const reply = { id: comment.id, author: comment.user.login, body: comment.body };
    return { outcome: "event", event: { kind, issue: mirrored, reply } };
  }
  if (eventName === "issues" && action === "closed") {
    const parsed = githubIssuesSchema.safeParse(payload);
    if (!parsed.success) return invalid(eventName, parsed.error, payload);
    const { issue, repository, sender } = parsed.data;
    const kind = "github.issue-closed";
    if (sender.type === "Bot") {
      return ignored(kind, "closed by a bot (the bridge mirroring a Hub close included)");
    }
    const mirrored = mirroringIssue(repository, issue, markerKey);
    if (typeof mirrored === "string") return ignored(kind, mirrored);
    return { outcome: "event", event: { kind, issue: mirrored, closedBy: sender.login } };
  }
  if (eventName === "issues" && action === "labeled") {
    const parsed = githubIssuesSchema.safeParse(payload);
    if (!parsed.success) return invalid(eventName, parsed.error, payload);
    const { issue, repository, sender, label } = parsed.data;
    const kind = "github.issue-labeled";
    if (label === undefined) return ignored(kind, "the labeled event names no label");
    if (sender.type === "Bot")
      return ignored(kind, "labeled by a bot (the bridge's own labels included)");
    const mirrored = mirroringIssue(repository, issue, markerKey);
    if (typeof mirrored === "string") return ignored(kind, mirrored);
    return {
      outcome: "event",
      event: { kind, issue: mirrored, label: label.name, labeledBy: sender.login },
    };
  }
  if (eventName === "workflow_run" && action === "completed") {
    const parsed = githubWorkflowRunSchema.safeParse(payload);
    if (!parsed.success) return invalid(eventName, parsed.error, payload);
    const { workflow_run: run, repository } = parsed.data;
    const kind = "github.workflow-run-completed";
    // Not sent by a bot filter: the bridge's own dispatches are exactly the runs it reports.
    if (run.event !== "workflow_dispatch") {
      return ignored(
        kind,
        `started by ${run.event}, and the bridge starts runs by workflow_dispatch only`,
      );
    }
    return {
      outcome: "event",
      event: {
        kind,
        repository: { owner: repository.owner.login, name: repository.name },
        run: {
          id: run.id,
          attempt: run.run_attempt ?? 1,
          workflowName: run.name || run.path,
          workflowPath: run.path,
          workflowId: run.workflow_id,
          conclusion: run.conclusion ?? "unknown",
          url: run.html_url,
          ...(run.run_started_at ? { startedAt: run.run_started_at } : {}),
          completedAt: run.updated_at,
        },
      },
    };
  }
  const what = typeof action === "string" ? `${eventName}.${action}` : eventName;
  return { outcome: "ignored", reason: `GitHub "${what}" events are not acted on; ${ACTED_ON}` };
}

function mirroringIssue(
  repository: { name: string; owner: { login: string } },
  issue: { number: number; body?: string | null | undefined },
  markerKey: string,
): MirroringIssueRef | string {
  const mirrors = issue.body ? readLinkMarker(issue.body, markerKey) : undefined;
  if (mirrors === undefined || !mirrors.startsWith("hub-discussion:")) {
    return "the issue does not mirror a Hub discussion (no bridge marker in its body)";
  }
  return { owner: repository.owner.login, name: repository.name, number: issue.number, mirrors };
}

function ignored(eventKind: BridgeEventKind, reason: string): GitHubWebhookReading {
  return { outcome: "ignored", reason, eventKind };
}

function invalid(eventName: string, error: z.ZodError, payload: unknown): GitHubWebhookReading {
  const problems = describeZodError(error, payload, "body");
  return {
    outcome: "invalid",
    reason: `not a GitHub "${eventName}" payload: ${problems.join("; ")}`,
  };
}
