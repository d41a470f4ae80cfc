import type { GitHubRepoRef } from "../effects/effect.ts";

/** Splits a config `owner/repo` (already checked by the config schema) into the effect's form. */
export function toGitHubRepoRef(fullName: string): GitHubRepoRef {
  const [owner, repo, ...rest] = fullName.split("/");
  if (!owner || !repo || rest.length > 0) {
    throw new Error(
      `github ${JSON.stringify(fullName)} is not "owner/repo"; write it as acme/models`,
    );
  }
  return { owner, repo };
}
