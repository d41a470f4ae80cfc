import { repoKey } from "./repo-key.ts";
import type { FakeGitHubState, FakeRepo, FakeRepoSeed } from "./types.ts";

const DEFAULT_LABEL_COLOR = "ededed";

export function addFakeRepo(state: FakeGitHubState, seed: FakeRepoSeed): FakeRepo {
  const key = repoKey(seed.owner, seed.name);
  if (state.repos.has(key)) {
    throw new Error(
      `Fake GitHub already has repo "${seed.owner}/${seed.name}"; seed each repo once.`,
    );
  }
  const defaultBranch = seed.defaultBranch ?? "main";
  const repo: FakeRepo = {
    id: state.nextId++,
    owner: seed.owner,
    name: seed.name,
    private: seed.private ?? false,
    default_branch: defaultBranch,
    installationId: seed.installationId === undefined ? 1 : seed.installationId,
    issues: new Map(),
    nextIssueNumber: 1,
    labels: new Map(),
    branches: new Set([defaultBranch, ...(seed.branches ?? [])]),
    commits: [...(seed.commits ?? [])],
    workflows: (seed.workflows ?? []).map((file) => ({
      id: state.nextId++,
      path: `.github/workflows/${file}`,
    })),
    collaborators: new Map(Object.entries(seed.collaborators ?? {})),
    dispatches: [],
    workflowDispatches: [],
  };
  for (const name of seed.labels ?? []) {
    repo.labels.set(name.toLowerCase(), {
      id: state.nextId++,
      name,
      color: DEFAULT_LABEL_COLOR,
      description: null,
    });
  }
  state.repos.set(key, repo);
  return repo;
}
