import { ensureLabels } from "./ensure-labels.ts";
import { findRepo } from "./find-repo.ts";
import { githubError } from "./github-error.ts";
import { labelNamesFromBody } from "./label-names-from-body.ts";
import { renderLabel } from "./render-label.ts";
import type { FakeIssue, FakeRepo, OperationTable } from "./types.ts";

/** issues/add-labels, remove-label, list-labels-on-issue, create-label and get-label. */
export function labelOperations(): OperationTable {
  return {
    "issues/add-labels": (request, state) => {
      const repo = findRepo(state, request);
      const issue = repo?.issues.get(Number(request.pathParams.issue_number));
      if (!repo || !issue) return githubError(404, "Not Found");
      const added = ensureLabels(state, repo, labelNamesFromBody(request.body));
      const present = new Set(issue.labels.map((name) => name.toLowerCase()));
      for (const name of added) {
        if (!present.has(name.toLowerCase())) issue.labels.push(name);
        present.add(name.toLowerCase());
      }
      issue.updated_at = state.now();
      return { status: 200, body: issueLabels(issue, repo, request.baseUrl) };
    },
    "issues/remove-label": (request, state) => {
      const repo = findRepo(state, request);
      const issue = repo?.issues.get(Number(request.pathParams.issue_number));
      if (!repo || !issue) return githubError(404, "Not Found");
      const target = (request.pathParams.name ?? "").toLowerCase();
      if (!issue.labels.some((name) => name.toLowerCase() === target)) {
        return githubError(404, "Label does not exist");
      }
      issue.labels = issue.labels.filter((name) => name.toLowerCase() !== target);
      issue.updated_at = state.now();
      return { status: 200, body: issueLabels(issue, repo, request.baseUrl) };
    },
    "issues/list-labels-on-issue": (request, state) => {
      const repo = findRepo(state, request);
      const issue = repo?.issues.get(Number(request.pathParams.issue_number));
      if (!repo || !issue) return githubError(404, "Not Found");
      return { status: 200, body: issueLabels(issue, repo, request.baseUrl) };
    },
    "issues/create-label": (request, state) => {
      const repo = findRepo(state, request);
      if (!repo) return githubError(404, "Not Found");
      const write = request.body as { name: string; color?: string; description?: string };
      if (repo.labels.has(write.name.toLowerCase())) {
        return githubError(422, "Validation Failed", [
          { resource: "Label", code: "already_exists", field: "name" },
        ]);
      }
      const [name = write.name] = ensureLabels(state, repo, [write.name]);
      const label = repo.labels.get(name.toLowerCase());
      if (!label) return githubError(500, "Label vanished while creating it");
      if (write.color !== undefined) label.color = write.color.replace(/^#/, "");
      if (write.description !== undefined) label.description = write.description;
      const rendered = renderLabel(label, repo, request.baseUrl);
      return { status: 201, body: rendered, headers: { location: rendered.url } };
    },
    "issues/get-label": (request, state) => {
      const repo = findRepo(state, request);
      const label = repo?.labels.get((request.pathParams.name ?? "").toLowerCase());
      if (!repo || !label) return githubError(404, "Not Found");
      return { status: 200, body: renderLabel(label, repo, request.baseUrl) };
    },
  };
}

function issueLabels(issue: FakeIssue, repo: FakeRepo, baseUrl: string) {
  return issue.labels.flatMap((name) => {
    const label = repo.labels.get(name.toLowerCase());
    return label ? [renderLabel(label, repo, baseUrl)] : [];
  });
}
