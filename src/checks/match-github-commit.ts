import type { CommitMatch, GitHubRepoRef } from "../effects/effect.ts";
import type { HubCommitMessage } from "../hub/read-hub-commit-message.ts";
import { parseGitHubCommitTrailers } from "./parse-github-commit-trailers.ts";

type CommitMatchResult =
  | { matched: true; sha: string; how: string }
  | { matched: false; reason: string };

interface CommitMatchIo {
  /** The full SHA for a SHA or branch in the GitHub repo, undefined when it has none. */
  findGitHubCommit(ref: string): Promise<string | undefined>;
  readHubCommitMessage(): Promise<HubCommitMessage>;
}

/**
 * The GitHub commit a Hub commit belongs to, tried in order: the same SHA (a `git push` keeps it),
 * a `GitHub-Commit:` trailer in the Hub commit message, the head of the fallback branch. The Hub is
 * only asked when the SHA alone does not match.
 */
export async function matchGitHubCommit(
  match: CommitMatch,
  github: GitHubRepoRef,
  io: CommitMatchIo,
): Promise<CommitMatchResult> {
  const where = `${github.owner}/${github.repo}`;
  const same = await io.findGitHubCommit(match.hubSha);
  if (same !== undefined) return { matched: true, sha: same, how: "same SHA" };
  const misses = [`${match.hubSha.slice(0, 7)} is not a commit in ${where}`];

  const hubCommit = await io.readHubCommitMessage();
  if (hubCommit.found) {
    const trailers = parseGitHubCommitTrailers(hubCommit.message);
    for (const trailer of trailers) {
      const sha = await io.findGitHubCommit(trailer);
      if (sha !== undefined) return { matched: true, sha, how: `GitHub-Commit trailer ${trailer}` };
    }
    misses.push(
      trailers.length === 0
        ? "the Hub commit message has no GitHub-Commit trailer"
        : `its GitHub-Commit trailer (${trailers.join(", ")}) names no commit in ${where}`,
    );
  } else {
    misses.push(hubCommit.reason);
  }

  if (match.fallbackBranch === undefined) {
    misses.push("the route does not fall back to a branch head (checks.fallbackToBranchHead)");
  } else {
    const head = await io.findGitHubCommit(match.fallbackBranch);
    if (head !== undefined) {
      return { matched: true, sha: head, how: `head of branch ${match.fallbackBranch}` };
    }
    misses.push(`${where} has no branch ${match.fallbackBranch}`);
  }
  return { matched: false, reason: misses.join("; ") };
}
