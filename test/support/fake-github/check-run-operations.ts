import { findRepo } from "./find-repo.ts";
import { githubError } from "./github-error.ts";
import { renderCheckRun } from "./render-check-run.ts";
import { repoKey } from "./repo-key.ts";
import type { FakeAnnotation, FakeCheckRun, OperationTable } from "./types.ts";

interface CheckRunWrite {
  name?: string;
  head_sha?: string;
  status?: FakeCheckRun["status"];
  conclusion?: string;
  external_id?: string;
  details_url?: string;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: FakeAnnotation[] };
}

/** checks/create, update, get and list-for-ref. */
export function checkRunOperations(): OperationTable {
  return {
    "checks/create": (request, state) => {
      const repo = findRepo(state, request);
      if (!repo) return githubError(404, "Not Found");
      const write = request.body as CheckRunWrite & { name: string; head_sha: string };
      if (!repo.commits.includes(write.head_sha)) {
        return githubError(422, `No commit found for SHA: ${write.head_sha}`);
      }
      const run: FakeCheckRun = {
        id: state.nextId++,
        repoKey: repoKey(repo.owner, repo.name),
        name: write.name,
        head_sha: write.head_sha,
        status: "queued",
        conclusion: null,
        external_id: null,
        details_url: null,
        started_at: state.now(),
        completed_at: null,
        output: { title: null, summary: null, text: null, annotations: [] },
      };
      applyCheckRunWrite(run, write, state.now());
      state.checkRuns.set(run.id, run);
      const rendered = renderCheckRun(run, repo, state, request.baseUrl);
      return { status: 201, body: rendered, headers: { location: String(rendered.url) } };
    },
    "checks/update": (request, state) => {
      const repo = findRepo(state, request);
      const run = state.checkRuns.get(Number(request.pathParams.check_run_id));
      if (!repo || !run || run.repoKey !== repoKey(repo.owner, repo.name)) {
        return githubError(404, "Not Found");
      }
      applyCheckRunWrite(run, request.body as CheckRunWrite, state.now());
      return { status: 200, body: renderCheckRun(run, repo, state, request.baseUrl) };
    },
    "checks/get": (request, state) => {
      const repo = findRepo(state, request);
      const run = state.checkRuns.get(Number(request.pathParams.check_run_id));
      if (!repo || !run || run.repoKey !== repoKey(repo.owner, repo.name)) {
        return githubError(404, "Not Found");
      }
      return { status: 200, body: renderCheckRun(run, repo, state, request.baseUrl) };
    },
    "checks/list-for-ref": (request, state) => {
      const repo = findRepo(state, request);
      if (!repo) return githubError(404, "Not Found");
      const ref = request.pathParams.ref ?? "";
      const sha = repo.branches.has(ref) ? repo.commits.at(-1) : ref;
      if (sha === undefined || !repo.commits.includes(sha)) {
        return githubError(422, `No commit found for SHA: ${ref}`);
      }
      const name = request.query.get("check_name");
      const status = request.query.get("status");
      const key = repoKey(repo.owner, repo.name);
      const matching = [...state.checkRuns.values()]
        .filter((run) => run.repoKey === key && run.head_sha === sha)
        .filter((run) => name === null || run.name === name)
        .filter((run) => status === null || run.status === status)
        .sort((a, b) => b.id - a.id);
      // filter=latest (the default) keeps only the newest run per name, as GitHub does.
      const latestOnly = request.query.get("filter") !== "all";
      const seen = new Set<string>();
      const runs = matching.filter((run) => {
        if (!latestOnly) return true;
        if (seen.has(run.name)) return false;
        seen.add(run.name);
        return true;
      });
      return {
        status: 200,
        body: {
          total_count: runs.length,
          check_runs: runs.map((run) => renderCheckRun(run, repo, state, request.baseUrl)),
        },
      };
    },
  };
}

/** A conclusion forces `completed`; annotations are appended, never replaced, as on GitHub. */
function applyCheckRunWrite(run: FakeCheckRun, write: CheckRunWrite, now: Date): void {
  if (write.name !== undefined) run.name = write.name;
  if (write.external_id !== undefined) run.external_id = write.external_id;
  if (write.details_url !== undefined) run.details_url = write.details_url;
  if (write.started_at !== undefined) run.started_at = new Date(write.started_at);
  if (write.status !== undefined) run.status = write.status;
  if (write.conclusion !== undefined) {
    run.conclusion = write.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed") {
    run.completed_at = write.completed_at
      ? new Date(write.completed_at)
      : (run.completed_at ?? now);
  }
  const output = write.output;
  if (output) {
    if (output.title !== undefined) run.output.title = output.title;
    if (output.summary !== undefined) run.output.summary = output.summary;
    if (output.text !== undefined) run.output.text = output.text;
    run.output.annotations.push(...(output.annotations ?? []));
  }
}
