import { githubError } from "./github-error.ts";
import type { FakeGitHubState, FakeToken, Reply } from "./types.ts";

/** Operations GitHub answers only for the App itself, authenticated with a JWT. */
const APP_JWT_OPERATIONS = new Set([
  "apps/get-authenticated",
  "apps/create-installation-access-token",
  "apps/get-repo-installation",
  "apps/get-installation",
  "apps/list-installations",
  "apps/get-org-installation",
  "apps/get-user-installation",
]);

export type Authentication = { token: FakeToken | undefined } | { reply: Reply };

/**
 * Checks `authorization: token|bearer <credential>`: a well-formed JWT for the App operations, a
 * known, unexpired token for everything else. Failures get GitHub's 401 bodies.
 */
export function authenticateRequest(
  state: FakeGitHubState,
  operationId: string,
  header: string | undefined,
): Authentication {
  const credential = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (credential === undefined) return { reply: githubError(401, "Requires authentication") };
  if (APP_JWT_OPERATIONS.has(operationId)) {
    return isWellFormedJwt(credential)
      ? { token: undefined }
      : { reply: githubError(401, "A JSON web token could not be decoded") };
  }
  const token = state.tokens.get(credential);
  if (!token || token.expiresAt.getTime() <= state.now().getTime()) {
    return { reply: githubError(401, "Bad credentials") };
  }
  return { token };
}

function isWellFormedJwt(credential: string): boolean {
  const parts = credential.split(".");
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return false;
  try {
    const header = JSON.parse(Buffer.from(parts[0] ?? "", "base64url").toString("utf8"));
    const claims = JSON.parse(Buffer.from(parts[1] ?? "", "base64url").toString("utf8"));
    return typeof header.alg === "string" && claims !== null && typeof claims === "object";
  } catch {
    return false;
  }
}
