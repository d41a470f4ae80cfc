import type { CommentRef, DiscussionRef, RepoRef } from "../events/bridge-event.ts";

/**
 * The mirrored issue's body: the opening comment, then where it came from. Hub payloads carry only
 * the author's user id, not a username, so the id is what is shown.
 */
export function discussionIssueBody(
  repo: RepoRef,
  discussion: DiscussionRef,
  firstComment: CommentRef | undefined,
): string {
  const what = discussion.isPullRequest ? "pull request" : "discussion";
  const opening =
    firstComment?.content === undefined || firstComment.content.trim() === ""
      ? "_No description on the Hub._"
      : firstComment.content;
  const details = [
    `- Hub ${what}: [${repo.name} #${discussion.num}](${discussion.webUrl})`,
    `- Author: Hub user \`${discussion.authorId ?? "unknown"}\``,
    `- Pull request: ${discussion.isPullRequest ? "yes" : "no"}`,
  ];
  if (discussion.baseRef !== undefined) details.push(`- Base ref: \`${discussion.baseRef}\``);
  return [
    opening,
    "---",
    "Mirrored from the Hub; reply there to take part.",
    details.join("\n"),
  ].join("\n\n");
}
