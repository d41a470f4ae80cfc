import type { GitHubRepoRef } from "../effects/effect.ts";
import { readLinkMarker } from "../text/link-marker.ts";
import type { RepoClient } from "./create-octokit-factory.ts";

/** GitHub's largest page of comments. */
const PAGE_SIZE = 100;
/**
 * GitHub lists comments oldest first; this many pages covers every thread the bridge writes in (a
 * mirrored discussion, or years of an endpoint card's transitions).
 */
const MAX_PAGES = 30;

export interface MarkedComment {
  id: number | bigint;
  html_url: string;
}

/**
 * The comments this bot posted on an issue whose signed marker names `linkKey`, oldest first, read a
 * page at a time as the caller asks for more (a lookup that stops at the first reads no further).
 * Only the bot's own comments count: anyone can paste a marker into a comment.
 */
export async function* listMarkedComments(input: {
  client: RepoClient;
  repo: GitHubRepoRef;
  issueNumber: number;
  linkKey: string;
  markerKey: string;
  /** Sends one read through the caller's throttle, with the job's signal when there is one. */
  read: <T>(
    description: string,
    request: (options: { signal?: AbortSignal }) => Promise<T>,
  ) => Promise<T>;
}): AsyncGenerator<MarkedComment, void, undefined> {
  const { client, repo, issueNumber, linkKey } = input;
  const description = `look for comment ${linkKey} on ${repo.owner}/${repo.repo}#${issueNumber}`;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await input.read(description, (request) =>
      client.octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner: repo.owner,
        repo: repo.repo,
        issue_number: issueNumber,
        per_page: PAGE_SIZE,
        page,
        request,
      }),
    );
    for (const comment of data) {
      if (
        comment.user?.login === client.botLogin &&
        readLinkMarker(comment.body ?? "", input.markerKey) === linkKey
      ) {
        yield { id: comment.id, html_url: comment.html_url };
      }
    }
    if (data.length < PAGE_SIZE) return;
  }
}
