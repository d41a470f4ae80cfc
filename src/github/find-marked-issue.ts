import type { GitHubRepoRef } from "../effects/effect.ts";
import { readLinkMarker } from "../text/link-marker.ts";
import type { EffectRun } from "./effect-run.ts";

/**
 * Pages of the bot's issues (newest first) searched for a lost create. Its issue is among the newest:
 * one write is in flight per installation, and the search runs right after the failure or on the
 * job's next attempt.
 */
const LOOKUP_PAGES = 3;
const PAGE_SIZE = 100;

/**
 * The issue this bot created for `linkKey`, if a create whose answer was lost did reach GitHub.
 * Only issues authored by the bot count: anyone can paste a marker into an issue of their own.
 */
export async function findMarkedIssue(
  run: EffectRun,
  repo: GitHubRepoRef,
  linkKey: string,
): Promise<{ id: number | bigint; number: number; html_url: string } | undefined> {
  const { client, markerKey } = run;
  for (let page = 1; page <= LOOKUP_PAGES; page++) {
    const { data } = await run.send(
      "read",
      `look for issue ${linkKey} in ${run.repoName}`,
      (request) =>
        client.octokit.request("GET /repos/{owner}/{repo}/issues", {
          owner: repo.owner,
          repo: repo.repo,
          creator: client.botLogin,
          state: "all",
          sort: "created",
          direction: "desc",
          per_page: PAGE_SIZE,
          page,
          request,
        }),
    );
    const found = data.find(
      (issue) =>
        issue.pull_request === undefined &&
        issue.user?.login === client.botLogin &&
        readLinkMarker(issue.body ?? "", markerKey) === linkKey,
    );
    if (found) return found;
    if (data.length < PAGE_SIZE) return undefined;
  }
  return undefined;
}
