import type { getOctokit } from "@actions/github";
import { endpointCardTitle } from "../rules/endpoint-card-title.ts";

type ActionsOctokit = ReturnType<typeof getOctokit>;

/** GitHub's largest page. */
const PAGE_SIZE = 100;
/** Cards are few and recent; ten pages of issues, newest first, find any of them. */
const MAX_ISSUE_PAGES = 10;
/** A card's thread grows by a few comments per transition; this many pages cover years of it. */
const MAX_COMMENT_PAGES = 30;

/**
 * Comments on the endpoint's card (`[Endpoint] <namespace>/<name>`, opened by a bot account) in the
 * repository the workflow runs in. The comment carries a marker for this run attempt, so re-running
 * the step does not comment twice.
 */
export async function commentOnEndpointCard(input: {
  octokit: ActionsOctokit;
  owner: string;
  repo: string;
  endpoint: string;
  text: string;
  /** Names this run attempt, e.g. `12345/1`. */
  runKey: string;
}): Promise<{ id: number; url: string; issueNumber: number; created: boolean }> {
  const { octokit, owner, repo } = input;
  const title = endpointCardTitle(input.endpoint);
  const card = await findCard(octokit, owner, repo, title);
  if (card === undefined) {
    throw new Error(
      `no issue titled ${JSON.stringify(title)} opened by a bot account in ${owner}/${repo}; the endpoint card is made by the bridge (server or watch mode) in the repository its config maps the endpoint to, so run this workflow there`,
    );
  }
  const marker = `<!-- hf-bridge:workflow-report=${input.runKey} -->`;
  for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
    const { data } = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number: card,
      per_page: PAGE_SIZE,
      page,
    });
    const earlier = data.find((comment) => comment.body?.includes(marker));
    if (earlier)
      return { id: earlier.id, url: earlier.html_url, issueNumber: card, created: false };
    if (data.length < PAGE_SIZE) break;
  }
  const { data } = await octokit.rest.issues.createComment({
    owner,
    repo,
    issue_number: card,
    body: `${input.text}\n\n${marker}`,
  });
  return { id: data.id, url: data.html_url, issueNumber: card, created: true };
}

async function findCard(
  octokit: ActionsOctokit,
  owner: string,
  repo: string,
  title: string,
): Promise<number | undefined> {
  for (let page = 1; page <= MAX_ISSUE_PAGES; page++) {
    const { data } = await octokit.rest.issues.listForRepo({
      owner,
      repo,
      state: "all",
      sort: "created",
      direction: "desc",
      per_page: PAGE_SIZE,
      page,
    });
    const card = data.find(
      (issue) => !issue.pull_request && issue.title === title && issue.user?.type === "Bot",
    );
    if (card) return card.number;
    if (data.length < PAGE_SIZE) return undefined;
  }
  return undefined;
}
