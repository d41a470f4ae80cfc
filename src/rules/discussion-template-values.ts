import type { DISCUSSION_TEMPLATE_VARIABLES } from "../config/template-variables.ts";
import type { CommentRef, DiscussionRef, RepoRef } from "../events/bridge-event.ts";
import { githubMarkdown } from "../text/github-markdown.ts";
import type { HubValue } from "../text/hub-value.ts";

/**
 * The variables issue and comment templates may use (documented in the README, "Discussion
 * templates"), each tagged with where it came from; renderTemplate sanitises each for the place the
 * template puts it, so no template can put raw Hub text on GitHub. `content` is empty when the Hub
 * post has no text.
 */
export function discussionTemplateValues(
  repo: RepoRef,
  discussion: DiscussionRef,
  comment: CommentRef | undefined,
): Record<(typeof DISCUSSION_TEMPLATE_VARIABLES)[number], HubValue> {
  return {
    title: { hubText: discussion.title },
    num: { hubText: String(discussion.num) },
    repo: { hubText: repo.name },
    type: { hubText: repo.type },
    kind: { bridge: discussion.isPullRequest ? "pull request" : "discussion" },
    status: { hubText: discussion.status },
    url: { hubUrl: discussion.webUrl },
    author: { hubText: authorText(discussion) },
    authorId: { hubText: discussion.authorId ?? "unknown" },
    pullRequest: { bridge: pullRequestText(discussion) },
    content: { hubMarkdown: comment?.content?.trim() ? comment.content : "" },
    commentAuthor: { hubText: comment ? authorText(comment) : "unknown" },
    commentAuthorId: { hubText: comment?.authorId ?? "unknown" },
    commentUrl: { hubUrl: comment?.webUrl ?? discussion.webUrl },
  };
}

/**
 * The Hub username (the id when it could not be looked up), and the GitHub login the `users:` map
 * gives it. Hub text, so sanitised like any: a login is shown as text and never becomes a mention.
 */
function authorText(post: Pick<DiscussionRef, "authorId" | "authorName" | "authorGitHubLogin">) {
  const name = post.authorName ?? post.authorId ?? "unknown";
  return post.authorGitHubLogin ? `${name} (GitHub: ${post.authorGitHubLogin})` : name;
}

function pullRequestText(discussion: DiscussionRef): string {
  if (!discussion.isPullRequest) return "no";
  return discussion.baseRef === undefined
    ? "yes"
    : githubMarkdown`yes, into \`${{ hubText: discussion.baseRef }}\``;
}
