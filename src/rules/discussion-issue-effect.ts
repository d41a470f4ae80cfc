import { discussionLinkKey } from "../effects/discussion-link-key.ts";
import type { Effect, GitHubRepoRef } from "../effects/effect.ts";
import type { BridgeEvent, DiscussionRef } from "../events/bridge-event.ts";
import { discussionIssueBody } from "./discussion-issue-body.ts";
import { discussionIssueTitle } from "./discussion-issue-title.ts";
import type { DiscussionSettings } from "./resolve-discussion-settings.ts";

export type DiscussionEvent = Extract<BridgeEvent, { discussion: DiscussionRef }>;

/**
 * The issue that mirrors the event's discussion. An `opened` event carries the opening post; any other
 * event that arrives first creates the issue on demand without it, and the `opened` event, when it
 * comes, fills the body in (same link, so never a second issue).
 */
export function discussionIssueEffect(
  event: DiscussionEvent,
  repo: GitHubRepoRef,
  settings: DiscussionSettings,
): Extract<Effect, { type: "create-issue" }> {
  const issue = discussionLinkKey(event.repo, event.discussion);
  const opening = event.kind === "discussion.opened" ? event.comment : undefined;
  const { labels } = settings;
  const kind = event.discussion.isPullRequest ? labels.pullRequest : labels.discussion;
  return {
    type: "create-issue",
    idempotencyKey:
      event.kind === "discussion.opened"
        ? `create-issue:${issue}`
        : `create-issue:${issue}:on-demand`,
    repo,
    link: issue,
    title: discussionIssueTitle(settings.titleTemplate, event.repo, event.discussion),
    body: discussionIssueBody(
      settings.bodyTemplate,
      event.repo,
      event.discussion,
      opening,
      settings.writeBack,
    ),
    labels:
      event.discussion.status === "draft" ? [labels.all, kind, labels.draft] : [labels.all, kind],
    sourceUrl: event.discussion.webUrl,
  };
}
