import { randomBytes } from "node:crypto";
import type { FakeGitHubState, FakeToken } from "./types.ts";

/** Mints a `ghs_` token for the installation that acts as the App's bot user, as GitHub does. */
export function issueInstallationToken(state: FakeGitHubState, installationId: number): FakeToken {
  const token: FakeToken = {
    token: `ghs_${randomBytes(18).toString("base64url")}`,
    kind: "installation",
    installationId,
    user: { login: `${state.app.slug}[bot]`, id: state.app.id * 1000, type: "Bot" },
    expiresAt: new Date(state.now().getTime() + state.tokenLifetimeMs),
  };
  state.tokens.set(token.token, token);
  return token;
}
