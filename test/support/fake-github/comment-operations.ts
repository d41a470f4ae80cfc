import { checkBodyLength } from "./check-body-length.ts";
import { findRepo } from "./find-repo.ts";
import { githubError } from "./github-error.ts";
import { paginate } from "./paginate.ts";
import { renderComment } from "./render-comment.ts";
import { repoKey } from "./repo-key.ts";
import type { FakeComment, FakeGitHubState, OperationRequest, OperationTable } from "./types.ts";

/** issues/create-comment, get-comment, update-comment, delete-comment and list-comments. */
export function commentOperations(): OperationTable {
  return {
    "issues/create-comment": (request, state) => {
      const repo = findRepo(state, request);
      const issueNumber = Number(request.pathParams.issue_number);
      const issue = repo?.issues.get(issueNumber);
      if (!repo || !issue || !request.token) return githubError(404, "Not Found");
      const { body } = request.body as { body: string };
      const tooLong = checkBodyLength(body, "IssueComment");
      if (tooLong) return tooLong;
      const now = state.now();
      const comment: FakeComment = {
        id: state.nextId++,
        repoKey: repoKey(repo.owner, repo.name),
        issueNumber,
        body,
        user: request.token.user,
        created_at: now,
        updated_at: now,
      };
      state.comments.set(comment.id, comment);
      issue.updated_at = now;
      const rendered = renderComment(comment, repo, request.baseUrl);
      return { status: 201, body: rendered, headers: { location: String(rendered.url) } };
    },
    "issues/get-comment": (request, state) => {
      const found = findComment(state, request);
      if (!found) return githubError(404, "Not Found");
      return { status: 200, body: renderComment(found.comment, found.repo, request.baseUrl) };
    },
    "issues/update-comment": (request, state) => {
      const found = findComment(state, request);
      if (!found) return githubError(404, "Not Found");
      const { body } = request.body as { body: string };
      const tooLong = checkBodyLength(body, "IssueComment");
      if (tooLong) return tooLong;
      found.comment.body = body;
      found.comment.updated_at = state.now();
      return { status: 200, body: renderComment(found.comment, found.repo, request.baseUrl) };
    },
    "issues/delete-comment": (request, state) => {
      const found = findComment(state, request);
      if (!found) return githubError(404, "Not Found");
      state.comments.delete(found.comment.id);
      return { status: 204 };
    },
    "issues/list-comments": (request, state) => {
      const repo = findRepo(state, request);
      const issueNumber = Number(request.pathParams.issue_number);
      if (!repo?.issues.has(issueNumber)) return githubError(404, "Not Found");
      const since = request.query.get("since");
      const sinceTime = since ? new Date(since).getTime() : undefined;
      const key = repoKey(repo.owner, repo.name);
      const comments = [...state.comments.values()]
        .filter((comment) => comment.repoKey === key && comment.issueNumber === issueNumber)
        .filter((comment) => sinceTime === undefined || comment.updated_at.getTime() >= sinceTime)
        .sort((a, b) => a.id - b.id);
      return paginate(
        comments.map((comment) => renderComment(comment, repo, request.baseUrl)),
        request,
      );
    },
  };
}

function findComment(state: FakeGitHubState, request: OperationRequest) {
  const repo = findRepo(state, request);
  const comment = state.comments.get(Number(request.pathParams.comment_id));
  if (!repo || !comment || comment.repoKey !== repoKey(repo.owner, repo.name)) return undefined;
  return { repo, comment };
}
