import type { FakeGitHubState } from "./types.ts";

/** The `expireToken` fault: the credential on this request stops working, as after its hour. */
export function expirePresentedToken(state: FakeGitHubState, header: string | undefined): void {
  const credential = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? "")?.[1];
  const token = credential === undefined ? undefined : state.tokens.get(credential);
  if (token) token.expiresAt = new Date(state.now().getTime() - 1);
}
