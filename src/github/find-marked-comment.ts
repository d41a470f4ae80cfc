import type { GitHubRepoRef } from "../effects/effect.ts";
import { readLinkMarker } from "../text/link-marker.ts";
import type { EffectRun } from "./effect-run.ts";

/** GitHub lists comments oldest first; this many pages covers every thread the bridge mirrors. */
const LOOKUP_PAGES = 30;
const PAGE_SIZE = 100;

/**
 * The comment this bot posted on the issue for `linkKey`, if a create whose answer was lost did reach
 * GitHub. Only the bot's own comments count: anyone can paste a marker into a comment.
 */
export async function findMarkedComment(
  run: EffectRun,
  repo: GitHubRepoRef,
  issueNumber: number,
  linkKey: string,
): Promise<{ id: number | bigint; html_url: string } | undefined> {
  const { client, markerKey } = run;
  for (let page = 1; page <= LOOKUP_PAGES; page++) {
    const { data } = await run.send(
      "read",
      `look for comment ${linkKey} on ${run.repoName}#${issueNumber}`,
      (request) =>
        client.octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          owner: repo.owner,
          repo: repo.repo,
          issue_number: issueNumber,
          per_page: PAGE_SIZE,
          page,
          request,
        }),
    );
    const found = data.find(
      (comment) =>
        comment.user?.login === client.botLogin &&
        readLinkMarker(comment.body ?? "", markerKey) === linkKey,
    );
    if (found) return found;
    if (data.length < PAGE_SIZE) return undefined;
  }
  return undefined;
}
