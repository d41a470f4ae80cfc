import { repoKey } from "./repo-key.ts";
import type { FakeGitHubState, FakeRepo, OperationRequest } from "./types.ts";

/**
 * The repo named by the path, if the caller may see it. An installation token only reaches the repos
 * of its installation; GitHub answers 404 (not 403) for the rest so private names do not leak.
 */
export function findRepo(state: FakeGitHubState, request: OperationRequest): FakeRepo | undefined {
  const { owner, repo: name } = request.pathParams;
  if (owner === undefined || name === undefined) return undefined;
  const repo = state.repos.get(repoKey(owner, name));
  if (!repo) return undefined;
  const token = request.token;
  if (token?.kind === "installation" && token.installationId !== repo.installationId) {
    return undefined;
  }
  return repo;
}
