import { checkBodyLength } from "./check-body-length.ts";
import { ensureLabels } from "./ensure-labels.ts";
import { findRepo } from "./find-repo.ts";
import { githubError } from "./github-error.ts";
import { labelNamesFromBody } from "./label-names-from-body.ts";
import { paginate } from "./paginate.ts";
import { renderIssue } from "./render-issue.ts";
import type { FakeIssue, OperationTable } from "./types.ts";

interface IssueWrite {
  title?: string | number;
  body?: string | null;
  state?: "open" | "closed";
  state_reason?: FakeIssue["state_reason"];
  labels?: unknown[];
}

/** issues/create, get, update and list-for-repo. */
export function issueOperations(): OperationTable {
  return {
    "issues/create": (request, state) => {
      const repo = findRepo(state, request);
      if (!repo || !request.token) return githubError(404, "Not Found");
      const write = request.body as IssueWrite;
      const tooLong = checkBodyLength(write.body, "Issue");
      if (tooLong) return tooLong;
      const now = state.now();
      const issue: FakeIssue = {
        id: state.nextId++,
        number: repo.nextIssueNumber++,
        title: String(write.title),
        body: write.body ?? null,
        state: "open",
        state_reason: null,
        labels: ensureLabels(state, repo, labelNamesFromBody({ labels: write.labels ?? [] })),
        user: request.token.user,
        created_at: now,
        updated_at: now,
        closed_at: null,
      };
      repo.issues.set(issue.number, issue);
      const rendered = renderIssue(issue, repo, state, request.baseUrl);
      return { status: 201, body: rendered, headers: { location: String(rendered.url) } };
    },
    "issues/get": (request, state) => {
      const repo = findRepo(state, request);
      const issue = repo?.issues.get(Number(request.pathParams.issue_number));
      if (!repo || !issue) return githubError(404, "Not Found");
      return { status: 200, body: renderIssue(issue, repo, state, request.baseUrl) };
    },
    "issues/update": (request, state) => {
      const repo = findRepo(state, request);
      const issue = repo?.issues.get(Number(request.pathParams.issue_number));
      if (!repo || !issue) return githubError(404, "Not Found");
      const write = request.body as IssueWrite;
      const tooLong = checkBodyLength(write.body, "Issue");
      if (tooLong) return tooLong;
      if (write.title !== undefined) issue.title = String(write.title);
      if (write.body !== undefined) issue.body = write.body;
      if (write.labels !== undefined) {
        issue.labels = ensureLabels(state, repo, labelNamesFromBody({ labels: write.labels }));
      }
      if (write.state !== undefined) applyState(issue, write, state.now());
      issue.updated_at = state.now();
      return { status: 200, body: renderIssue(issue, repo, state, request.baseUrl) };
    },
    "issues/list-for-repo": (request, state) => {
      const repo = findRepo(state, request);
      if (!repo) return githubError(404, "Not Found");
      const wantedState = request.query.get("state") ?? "open";
      const wantedLabels = (request.query.get("labels") ?? "")
        .split(",")
        .map((name) => name.trim().toLowerCase())
        .filter((name) => name !== "");
      const creator = request.query.get("creator")?.toLowerCase();
      const since = request.query.get("since");
      const sinceTime = since ? new Date(since).getTime() : undefined;
      const sortKey = request.query.get("sort") === "updated" ? "updated_at" : "created_at";
      const ascending = request.query.get("direction") === "asc";
      const issues = [...repo.issues.values()]
        .filter((issue) => wantedState === "all" || issue.state === wantedState)
        .filter((issue) => {
          const names = new Set(issue.labels.map((name) => name.toLowerCase()));
          return wantedLabels.every((name) => names.has(name));
        })
        .filter((issue) => creator === undefined || issue.user.login.toLowerCase() === creator)
        .filter((issue) => sinceTime === undefined || issue.updated_at.getTime() >= sinceTime)
        .sort((a, b) => {
          const order = a[sortKey].getTime() - b[sortKey].getTime() || a.number - b.number;
          return ascending ? order : -order;
        });
      return paginate(
        issues.map((issue) => renderIssue(issue, repo, state, request.baseUrl)),
        request,
      );
    },
  };
}

/** Closing without a reason means "completed" and reopening means "reopened", as on GitHub. */
function applyState(issue: FakeIssue, write: IssueWrite, now: Date): void {
  const target = write.state ?? issue.state;
  if (target === "closed") {
    if (issue.state !== "closed") issue.closed_at = now;
    issue.state_reason = write.state_reason ?? "completed";
  } else {
    issue.state_reason = issue.state === "closed" ? (write.state_reason ?? "reopened") : null;
    issue.closed_at = null;
  }
  issue.state = target;
}
