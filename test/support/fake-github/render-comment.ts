import { renderUser } from "./render-user.ts";
import type { FakeComment, FakeRepo } from "./types.ts";

export function renderComment(
  comment: FakeComment,
  repo: FakeRepo,
  baseUrl: string,
): Record<string, unknown> {
  const repoPath = `${repo.owner}/${repo.name}`;
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${baseUrl}/repos/${repoPath}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${repoPath}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${baseUrl}/repos/${repoPath}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: renderUser(comment.user, baseUrl),
    created_at: comment.created_at.toISOString(),
    updated_at: comment.updated_at.toISOString(),
    author_association: comment.user.type === "Bot" ? "NONE" : "CONTRIBUTOR",
  };
}
