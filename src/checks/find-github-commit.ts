import type { GitHubRepoRef } from "../effects/effect.ts";
import type { RepoClient } from "../github/create-octokit-factory.ts";

/** GitHub's answers for "no such commit or branch here": 404, or 422 for an unknown SHA. */
const NOT_FOUND_STATUSES = new Set([404, 422]);

/**
 * The full SHA GitHub knows for a SHA (full or abbreviated) or a branch name, or undefined when the
 * repository has no such commit. Other failures are thrown, so the job is retried.
 */
export async function findGitHubCommit(
  client: RepoClient,
  repo: GitHubRepoRef,
  ref: string,
): Promise<string | undefined> {
  try {
    const { data } = await client.octokit.request("GET /repos/{owner}/{repo}/commits/{ref}", {
      owner: repo.owner,
      repo: repo.repo,
      ref,
      // Only the SHA is needed; one file keeps GitHub from rendering a large diff.
      per_page: 1,
    });
    return data.sha;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number" && NOT_FOUND_STATUSES.has(status)) return undefined;
    throw error;
  }
}
