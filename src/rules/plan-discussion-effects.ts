import type { Route } from "../config/config-schema.ts";
import { commentLinkKey } from "../effects/comment-link-key.ts";
import { discussionLinkKey } from "../effects/discussion-link-key.ts";
import type { Effect, GitHubRepoRef, LinkKey } from "../effects/effect.ts";
import { sha256 } from "../util/sha256.ts";
import { commentBody } from "./comment-body.ts";
import { deletedDiscussionNote } from "./deleted-discussion-note.ts";
import { type DiscussionEvent, discussionIssueEffect } from "./discussion-issue-effect.ts";
import { discussionIssueTitle } from "./discussion-issue-title.ts";
import { findDiscussionRoute } from "./find-discussion-route.ts";
import { hiddenCommentBody } from "./hidden-comment-body.ts";
import { mergedDiscussionNote } from "./merged-discussion-note.ts";
import type { PlannedEffects } from "./planned-effects.ts";
import type { DiscussionSettings } from "./resolve-discussion-settings.ts";
import { toGitHubRepoRef } from "./to-github-repo-ref.ts";

export type { DiscussionEvent } from "./discussion-issue-effect.ts";

/** Enough of a content hash to tell two edits apart inside one job's idempotency keys. */
const CONTENT_HASH_LENGTH = 16;

/**
 * Mirrors a Hub discussion into one GitHub issue. What only I/O can decide is left to the mirror
 * executor (src/mirror): whether a private Hub repo may go into this GitHub repo (its visibility),
 * whether the issue exists yet (created on demand), and whether this event is older than what was
 * already applied (out-of-order deliveries).
 */
export function planDiscussionEffects(
  event: DiscussionEvent,
  routes: readonly Route[],
): PlannedEffects {
  const found = findDiscussionRoute(routes, event.repo);
  if (!found.route) return { effects: [], reason: found.reason };
  return {
    effects: discussionEffects(event, toGitHubRepoRef(found.route.github), found.settings),
  };
}

function discussionEffects(
  event: DiscussionEvent,
  repo: GitHubRepoRef,
  settings: DiscussionSettings,
): Effect[] {
  const issue = discussionLinkKey(event.repo, event.discussion);
  const { discussion } = event;
  switch (event.kind) {
    case "discussion.opened":
      return [discussionIssueEffect(event, repo, settings)];
    case "discussion.updated":
      return updatedDiscussionEffects(event, issue, repo, settings);
    case "discussion.closed":
      return [
        closeIssue(issue, repo, "closed", "not_planned"),
        ...dropDraftLabel(discussion.isPullRequest, issue, repo, settings),
      ];
    case "discussion.merged":
      return [
        noteComment(issue, repo, "merged", mergedDiscussionNote(discussion)),
        closeIssue(issue, repo, "merged", "completed"),
        ...dropDraftLabel(true, issue, repo, settings),
      ];
    case "discussion.deleted":
      return [
        noteComment(issue, repo, "deleted", deletedDiscussionNote(discussion)),
        closeIssue(issue, repo, "deleted", "not_planned"),
      ];
    case "comment.created": {
      const comment = commentLinkKey(event.comment);
      return [
        {
          type: "create-comment",
          idempotencyKey: `create-comment:${comment}`,
          repo,
          issue,
          link: comment,
          body: event.comment.hidden
            ? hiddenCommentBody(event.comment)
            : commentBody(settings.commentTemplate, event.repo, discussion, event.comment),
          sourceUrl: event.comment.webUrl,
        },
      ];
    }
    case "comment.edited": {
      const comment = commentLinkKey(event.comment);
      const version = sha256(event.comment.content ?? "").slice(0, CONTENT_HASH_LENGTH);
      return [
        {
          type: "update-comment",
          idempotencyKey: `update-comment:${comment}:${version}`,
          repo,
          comment,
          body: commentBody(settings.commentTemplate, event.repo, discussion, event.comment),
          sourceUrl: event.comment.webUrl,
        },
      ];
    }
    case "comment.hidden": {
      const comment = commentLinkKey(event.comment);
      return [
        {
          type: "update-comment",
          idempotencyKey: `update-comment:${comment}:hidden`,
          repo,
          comment,
          body: hiddenCommentBody(event.comment),
        },
      ];
    }
  }
}

/** The one comment a merge or a deletion adds to the issue before it closes. */
function noteComment(
  issue: LinkKey,
  repo: GitHubRepoRef,
  why: "merged" | "deleted",
  body: string,
): Effect {
  const note = `${issue}:${why}-note`;
  return {
    type: "create-comment",
    idempotencyKey: `create-comment:${note}`,
    repo,
    issue,
    link: note,
    body,
  };
}

function closeIssue(
  issue: LinkKey,
  repo: GitHubRepoRef,
  why: string,
  reason: "completed" | "not_planned",
): Effect {
  return {
    type: "close-issue",
    idempotencyKey: `close-issue:${issue}:${why}`,
    repo,
    issue,
    reason,
  };
}

/** A closed or merged pull request is no longer a draft. */
function dropDraftLabel(
  isPullRequest: boolean,
  issue: LinkKey,
  repo: GitHubRepoRef,
  settings: DiscussionSettings,
): Effect[] {
  if (!isPullRequest) return [];
  return [
    {
      type: "remove-labels",
      idempotencyKey: `remove-labels:${issue}:draft`,
      repo,
      issue,
      labels: [settings.labels.draft],
    },
  ];
}

/** A retitle, a reopen or a draft toggle: the payload does not say which, so all three are applied. */
function updatedDiscussionEffects(
  event: DiscussionEvent,
  issue: LinkKey,
  repo: GitHubRepoRef,
  settings: DiscussionSettings,
): Effect[] {
  const { discussion } = event;
  const title = discussionIssueTitle(settings.titleTemplate, event.repo, discussion);
  const effects: Effect[] = [
    {
      type: "update-issue",
      idempotencyKey: `update-issue:${issue}:title:${sha256(title).slice(0, CONTENT_HASH_LENGTH)}`,
      repo,
      issue,
      title,
    },
  ];
  if (discussion.status === "open") {
    effects.push({ type: "reopen-issue", idempotencyKey: `reopen-issue:${issue}`, repo, issue });
  }
  if (discussion.isPullRequest && discussion.status === "draft") {
    effects.push({
      type: "add-labels",
      idempotencyKey: `add-labels:${issue}:draft`,
      repo,
      issue,
      labels: [settings.labels.draft],
    });
  }
  if (discussion.isPullRequest && discussion.status === "open") {
    effects.push(...dropDraftLabel(true, issue, repo, settings));
  }
  return effects;
}
