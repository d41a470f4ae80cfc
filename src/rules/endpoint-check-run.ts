import type { CheckRunConclusion, Effect, GitHubRepoRef } from "../effects/effect.ts";
import type { EndpointSnapshot } from "../events/bridge-event.ts";
import { githubMarkdown } from "../text/github-markdown.ts";
import { githubTitle } from "../text/github-title.ts";
import { endpointStateBadge } from "./endpoint-state-badge.ts";

/** Only a full commit id can name a GitHub commit; a branch name like `main` would match any head. */
const FULL_SHA = /^[0-9a-f]{40}$/;
const SHORT_SHA_LENGTH = 7;
const ENDPOINTS_UI_URL = "https://endpoints.huggingface.co";
/** The states that answer "did this revision's deployment reach running?". */
const OUTCOMES: Readonly<Record<string, CheckRunConclusion>> = {
  running: "success",
  failed: "failure",
  updateFailed: "failure",
};

/**
 * A completed check run on the GitHub commit of the endpoint's model revision, when the endpoint enters
 * `running` (success) or `failed`/`updateFailed` (failure). The commit is matched by the executor with
 * the Hub-commit rule (same SHA, then a `GitHub-Commit:` trailer), never a branch head: a head is not
 * what was deployed. Each outcome is its own completed run, keyed by the transition, because an
 * `in_progress` run would need an update, and a revision that matches no commit never gets a run to
 * update; on GitHub the newest run of a name is the one shown.
 */
export function endpointCheckRun(
  endpoint: EndpointSnapshot,
  repo: GitHubRepoRef,
  transition: string,
  hubUrl: string,
): Effect | undefined {
  const conclusion = OUTCOMES[endpoint.state];
  const { repository, revision } = endpoint;
  if (conclusion === undefined || !repository || !revision || !FULL_SHA.test(revision)) {
    return undefined;
  }
  const id = `${endpoint.namespace}/${endpoint.name}`;
  const link = `endpoint-check:${revision}:${transition}`;
  const modelUrl = `${hubUrl}/${repository}`;
  const at = `${repository} @ ${revision.slice(0, SHORT_SHA_LENGTH)}`;
  const summary = [
    githubMarkdown`Endpoint: \`${{ hubText: id }}\` — ${{ hubText: endpointStateBadge(endpoint.state) }}`,
    githubMarkdown`Model: [${{ hubText: repository }}](${{ hubUrl: modelUrl }}) at [${{ hubText: revision }}](${{ hubUrl: `${modelUrl}/commit/${revision}` }})`,
    ...(endpoint.url ? [githubMarkdown`URL: ${{ hubUrl: endpoint.url }}`] : []),
    ...(endpoint.message ? [githubMarkdown`Message: ${{ hubText: endpoint.message }}`] : []),
  ].join("\n");
  return {
    type: "create-check-run",
    idempotencyKey: `create-check-run:${link}`,
    repo,
    link,
    name: githubTitle`Inference Endpoint ${{ hubText: id }}`,
    headSha: revision,
    status: "completed",
    conclusion,
    detailsUrl: `${ENDPOINTS_UI_URL}/${endpoint.namespace}/endpoints/${endpoint.name}`,
    output: {
      title:
        conclusion === "success"
          ? githubTitle`${{ hubText: id }} is running ${{ hubText: at }}`
          : githubTitle`${{ hubText: id }} failed to deploy ${{ hubText: at }}`,
      summary,
    },
    commitMatch: {
      // Only the name and type are read to find the Hub commit; the endpoint JSON has no repo id.
      hubRepo: {
        id: repository,
        name: repository,
        type: "model",
        private: false,
        webUrl: modelUrl,
      },
      hubRef: revision,
      hubSha: revision,
    },
  };
}
