import { renderLabel } from "./render-label.ts";
import { renderUser } from "./render-user.ts";
import type { FakeGitHubState, FakeIssue, FakeRepo } from "./types.ts";

export function renderIssue(
  issue: FakeIssue,
  repo: FakeRepo,
  state: FakeGitHubState,
  baseUrl: string,
): Record<string, unknown> {
  const apiUrl = `${baseUrl}/repos/${repo.owner}/${repo.name}/issues/${issue.number}`;
  const commentCount = [...state.comments.values()].filter(
    (comment) =>
      comment.repoKey === `${repo.owner}/${repo.name}`.toLowerCase() &&
      comment.issueNumber === issue.number,
  ).length;
  return {
    id: issue.id,
    node_id: `I_${issue.id}`,
    url: apiUrl,
    repository_url: `${baseUrl}/repos/${repo.owner}/${repo.name}`,
    labels_url: `${apiUrl}/labels{/name}`,
    comments_url: `${apiUrl}/comments`,
    events_url: `${apiUrl}/events`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/issues/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.state_reason,
    title: issue.title,
    body: issue.body,
    user: renderUser(issue.user, baseUrl),
    labels: issue.labels.flatMap((name) => {
      const label = repo.labels.get(name.toLowerCase());
      return label ? [renderLabel(label, repo, baseUrl)] : [];
    }),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: commentCount,
    closed_at: issue.closed_at?.toISOString() ?? null,
    created_at: issue.created_at.toISOString(),
    updated_at: issue.updated_at.toISOString(),
    closed_by: null,
    author_association: "NONE",
  };
}
