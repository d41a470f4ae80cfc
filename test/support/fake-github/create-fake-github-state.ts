import { addFakeRepo } from "./add-fake-repo.ts";
import type { FakeGitHubOptions, FakeGitHubState } from "./types.ts";

/** Installation tokens live one hour on GitHub. */
const INSTALLATION_TOKEN_LIFETIME_MS = 60 * 60 * 1000;
const FIRST_ID = 1000;

export function createFakeGitHubState(options: FakeGitHubOptions = {}): FakeGitHubState {
  const now = options.now ?? (() => new Date());
  const state: FakeGitHubState = {
    app: {
      id: options.app?.id ?? 4242,
      slug: options.app?.slug ?? "hf-github-bridge",
      name: options.app?.name ?? "HF GitHub Bridge",
      owner: options.app?.owner ?? "huggingface",
    },
    repos: new Map(),
    tokens: new Map(),
    comments: new Map(),
    checkRuns: new Map(),
    nextId: FIRST_ID,
    tokenLifetimeMs: options.tokenLifetimeMs ?? INSTALLATION_TOKEN_LIFETIME_MS,
    now,
  };
  for (const seed of options.repos ?? []) addFakeRepo(state, seed);
  for (const { token, login } of options.personalTokens ?? []) {
    state.tokens.set(token, {
      token,
      kind: "personal",
      installationId: null,
      user: { login, id: state.nextId++, type: "User" },
      expiresAt: new Date(8.64e15),
    });
  }
  return state;
}
