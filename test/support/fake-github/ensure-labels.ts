import type { FakeGitHubState, FakeRepo } from "./types.ts";

const DEFAULT_LABEL_COLOR = "ededed";

/**
 * Returns the repo's canonical spelling of each name, creating labels that do not exist yet: GitHub
 * does the same when someone with push access adds an unknown label to an issue.
 */
export function ensureLabels(state: FakeGitHubState, repo: FakeRepo, names: string[]): string[] {
  return names.map((name) => {
    const key = name.toLowerCase();
    const existing = repo.labels.get(key);
    if (existing) return existing.name;
    repo.labels.set(key, {
      id: state.nextId++,
      name,
      color: DEFAULT_LABEL_COLOR,
      description: null,
    });
    return name;
  });
}
