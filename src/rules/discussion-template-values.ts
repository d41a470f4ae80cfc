import type { CommentRef, DiscussionRef, RepoRef } from "../events/bridge-event.ts";
import { sanitizeHubText } from "../github/sanitize-hub-text.ts";
import type { DISCUSSION_TEMPLATE_VARIABLES } from "./template-variables.ts";

/**
 * The variables issue and comment templates may use (documented in the README, "Discussion
 * templates"). Hub text is sanitised here, once, so no template can put raw Hub text on GitHub.
 */
export function discussionTemplateValues(
  repo: RepoRef,
  discussion: DiscussionRef,
  comment: CommentRef | undefined,
): Record<(typeof DISCUSSION_TEMPLATE_VARIABLES)[number], string> {
  const text = comment?.content?.trim() ? sanitizeHubText(comment.content) : "";
  return {
    title: discussion.title,
    num: String(discussion.num),
    repo: repo.name,
    type: repo.type,
    kind: discussion.isPullRequest ? "pull request" : "discussion",
    status: discussion.status,
    url: discussion.webUrl,
    author: discussion.authorId ?? "unknown",
    pullRequest: pullRequestText(discussion),
    content: text,
    commentAuthor: comment?.authorId ?? "unknown",
    commentUrl: comment?.webUrl ?? discussion.webUrl,
  };
}

function pullRequestText(discussion: DiscussionRef): string {
  if (!discussion.isPullRequest) return "no";
  return discussion.baseRef === undefined ? "yes" : `yes, into \`${discussion.baseRef}\``;
}
