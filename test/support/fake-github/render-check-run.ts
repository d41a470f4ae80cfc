import type { FakeCheckRun, FakeGitHubState, FakeRepo } from "./types.ts";

export function renderCheckRun(
  run: FakeCheckRun,
  repo: FakeRepo,
  state: FakeGitHubState,
  baseUrl: string,
): Record<string, unknown> {
  const apiUrl = `${baseUrl}/repos/${repo.owner}/${repo.name}/check-runs/${run.id}`;
  return {
    id: run.id,
    node_id: `CR_${run.id}`,
    head_sha: run.head_sha,
    external_id: run.external_id,
    url: apiUrl,
    html_url: `https://github.com/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: run.details_url,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at.toISOString(),
    completed_at: run.completed_at?.toISOString() ?? null,
    name: run.name,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${apiUrl}/annotations`,
    },
    check_suite: { id: run.id },
    app: { id: state.app.id, slug: state.app.slug, name: state.app.name },
    pull_requests: [],
  };
}
