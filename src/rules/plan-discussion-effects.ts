import type { Route } from "../config/config-schema.ts";
import type { BridgeEvent, DiscussionRef } from "../events/bridge-event.ts";
import { sha256 } from "../events/dedupe-key.ts";
import { commentBody } from "./comment-body.ts";
import { commentLinkKey } from "./comment-link-key.ts";
import { deletedDiscussionNote } from "./deleted-discussion-note.ts";
import { discussionIssueBody } from "./discussion-issue-body.ts";
import { discussionIssueTitle } from "./discussion-issue-title.ts";
import { discussionLinkKey } from "./discussion-link-key.ts";
import type { Effect, GitHubRepoRef, LinkKey } from "./effect.ts";
import { hiddenCommentBody } from "./hidden-comment-body.ts";
import { matchRoutes } from "./match-routes.ts";
import type { PlannedEffects } from "./plan-effects.ts";
import {
  type DiscussionSettings,
  resolveDiscussionSettings,
} from "./resolve-discussion-settings.ts";
import { toGitHubRepoRef } from "./to-github-repo-ref.ts";

export type DiscussionEvent = Extract<BridgeEvent, { discussion: DiscussionRef }>;

/** Enough of a content hash to tell two edits apart inside one job's idempotency keys. */
const CONTENT_HASH_LENGTH = 16;

/**
 * Mirrors a Hub discussion into one GitHub issue. Links are keyed by the Hub discussion alone, so only
 * the first matching route with discussions on mirrors it; a second route would fight over the link.
 *
 * A pure planner cannot ask GitHub whether the target repo is public, so every target is treated as
 * possibly public: a private Hub repo is mirrored only when the route sets `mirrorPrivateIntoPublic`.
 */
export function planDiscussionEffects(
  event: DiscussionEvent,
  routes: readonly Route[],
): PlannedEffects {
  const matching = matchRoutes(routes, event.repo);
  if (matching.length === 0) {
    return { effects: [], reason: `no route matches ${event.repo.type} "${event.repo.name}"` };
  }
  const mirroring = matching
    .map((route) => ({ route, settings: resolveDiscussionSettings(route) }))
    .find((candidate) => candidate.settings !== undefined);
  if (!mirroring?.settings) {
    return { effects: [], reason: "discussions are off for this route" };
  }
  if (event.repo.private && !mirroring.settings.mirrorPrivateIntoPublic) {
    return {
      effects: [],
      reason:
        "private Hub repo not mirrored into public GitHub repo: set discussions.mirrorPrivateIntoPublic",
    };
  }
  return {
    effects: discussionEffects(event, toGitHubRepoRef(mirroring.route.github), mirroring.settings),
  };
}

function discussionEffects(
  event: DiscussionEvent,
  repo: GitHubRepoRef,
  settings: DiscussionSettings,
): Effect[] {
  const issue = discussionLinkKey(event.repo, event.discussion);
  switch (event.kind) {
    case "discussion.opened":
      return [
        {
          type: "create-issue",
          idempotencyKey: `create-issue:${issue}`,
          repo,
          link: issue,
          title: discussionIssueTitle(settings.titleTemplate, event.repo, event.discussion),
          body: discussionIssueBody(event.repo, event.discussion, event.comment),
          labels: issueLabels(event.discussion, settings),
          sourceUrl: event.discussion.webUrl,
        },
      ];
    case "discussion.updated":
      return updatedDiscussionEffects(event, issue, repo, settings);
    case "discussion.closed":
      return [
        {
          type: "close-issue",
          idempotencyKey: `close-issue:${issue}:closed`,
          repo,
          issue,
          reason: "not_planned",
        },
      ];
    case "discussion.merged":
      return [
        {
          type: "close-issue",
          idempotencyKey: `close-issue:${issue}:merged`,
          repo,
          issue,
          reason: "completed",
        },
      ];
    case "discussion.deleted": {
      const note = `${issue}:deleted-note`;
      return [
        {
          type: "create-comment",
          idempotencyKey: `create-comment:${note}`,
          repo,
          issue,
          link: note,
          body: deletedDiscussionNote(event.discussion),
        },
        {
          type: "close-issue",
          idempotencyKey: `close-issue:${issue}:deleted`,
          repo,
          issue,
          reason: "not_planned",
        },
      ];
    }
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
            : commentBody(event.comment),
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
          body: commentBody(event.comment),
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
    effects.push({
      type: "remove-labels",
      idempotencyKey: `remove-labels:${issue}:draft`,
      repo,
      issue,
      labels: [settings.labels.draft],
    });
  }
  return effects;
}

function issueLabels(discussion: DiscussionRef, settings: DiscussionSettings): string[] {
  const { labels } = settings;
  const kind = discussion.isPullRequest ? labels.pullRequest : labels.discussion;
  return discussion.status === "draft" ? [labels.all, kind, labels.draft] : [labels.all, kind];
}
