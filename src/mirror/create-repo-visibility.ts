import type { GitHubRepoRef } from "../effects/effect.ts";
import type { OctokitFactory } from "../github/create-octokit-factory.ts";

/**
 * How long a GitHub repo's visibility is trusted. Short, because a repo made public must stop
 * receiving private Hub text soon; long enough that a busy discussion costs one read a minute.
 */
const VISIBILITY_TTL_MS = 60_000;

export interface RepoVisibility {
  isPrivate(repo: GitHubRepoRef): Promise<boolean>;
}

/**
 * Whether a GitHub repo is private (`GET /repos/{owner}/{repo}` → `private`), asked when a private
 * Hub repo's event is about to be mirrored rather than once at start-up: visibility can change while
 * the bridge runs, and only private Hub repos pay for the read.
 */
export function createRepoVisibility(options: {
  octokitFactory: OctokitFactory;
  ttlMs?: number;
  now?: () => number;
}): RepoVisibility {
  const ttlMs = options.ttlMs ?? VISIBILITY_TTL_MS;
  const now = options.now ?? (() => Date.now());
  const known = new Map<string, { isPrivate: boolean; until: number }>();
  return {
    async isPrivate(repo) {
      const key = `${repo.owner}/${repo.repo}`.toLowerCase();
      const cached = known.get(key);
      if (cached && cached.until > now()) return cached.isPrivate;
      const client = await options.octokitFactory.forRepo(repo);
      const { data } = await client.octokit.request("GET /repos/{owner}/{repo}", {
        owner: repo.owner,
        repo: repo.repo,
      });
      known.set(key, { isPrivate: data.private, until: now() + ttlMs });
      return data.private;
    },
  };
}
