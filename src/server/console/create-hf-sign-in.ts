import {
  createHubOidcClient,
  HubOidcDiscoveryError,
  type PendingSignIn,
} from "../../hub/create-hub-oidc-client.ts";
import type { ConsoleUser } from "./console-user.ts";

/** The Hub always grants these; `OAUTH_SCOPES` on a Space holds them and perhaps more. */
const DEFAULT_SCOPES = "openid profile";

export interface HfOAuthSettings {
  /** `OPENID_PROVIDER_URL`, e.g. https://huggingface.co */
  providerUrl: string;
  clientId: string;
  clientSecret: string;
  /** `OAUTH_SCOPES`, space-separated. */
  scopes?: string;
}

export interface HfSignIn {
  /** The provider's authorize URL to send the browser to, and what to keep until it comes back. */
  start(redirectUri: string): Promise<{ url: URL; pending: PendingSignIn }>;
  /**
   * Exchanges the code in `callbackUrl` (state and PKCE checked by openid-client) and reads the
   * user. Rejects with a SignInError saying what went wrong.
   */
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<ConsoleUser>;
}

export class SignInError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SignInError";
  }
}

/**
 * Sign in with Hugging Face (the requests are the Hub's OIDC client's): the authorization code flow
 * with PKCE (S256) and state, the ID token checked, then the userinfo endpoint for the user's name
 * and orgs. Plain http is accepted for a provider on this machine only (a test provider); anything
 * else must be https.
 */
export function createHfSignIn(settings: HfOAuthSettings): HfSignIn {
  const provider = URL.parse(settings.providerUrl);
  if (!provider || !["https:", "http:"].includes(provider.protocol)) {
    throw new Error(
      `OPENID_PROVIDER_URL ${JSON.stringify(settings.providerUrl)} is not an http(s) URL; set it to the Hub's address, e.g. https://huggingface.co`,
    );
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(provider.hostname);
  if (provider.protocol === "http:" && !loopback) {
    throw new Error(
      `OPENID_PROVIDER_URL ${JSON.stringify(settings.providerUrl)} is plain http on another machine; use https`,
    );
  }
  const scope = settings.scopes?.trim() || DEFAULT_SCOPES;
  const client = createHubOidcClient({
    provider,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    insecure: loopback,
  });

  return {
    async start(redirectUri) {
      try {
        return await client.authorize(redirectUri, scope);
      } catch (error) {
        if (error instanceof HubOidcDiscoveryError) throw toSignInError(error, error.message);
        throw error;
      }
    },

    async finish(callbackUrl, pending) {
      // openid-client checks it too; checked first here to say plainly what went wrong.
      const state = callbackUrl.searchParams.get("state");
      if (state !== pending.state) {
        throw new SignInError(
          `the sign-in came back with state ${JSON.stringify(state)}, not the one this browser started with; start the sign-in again from this page`,
        );
      }
      let granted: Awaited<ReturnType<typeof client.grant>>;
      try {
        granted = await client.grant(callbackUrl, pending, scope.split(/\s+/).includes("openid"));
      } catch (error) {
        throw toSignInError(error, describeGrantError(error));
      }
      let info: Awaited<ReturnType<typeof client.userInfo>>;
      try {
        info = await client.userInfo(granted.accessToken, granted.subject);
      } catch (error) {
        throw toSignInError(
          error,
          `the provider's userinfo could not be read: ${(error as Error).message}; sign in again`,
        );
      }
      const name = info.preferred_username;
      if (typeof name !== "string" || name === "") {
        throw new SignInError(
          "the provider's userinfo has no preferred_username; the OAuth app must grant the `profile` scope (OAUTH_SCOPES)",
        );
      }
      const orgs = Array.isArray(info.orgs)
        ? info.orgs.flatMap((org: unknown) => {
            const orgName = (org as { preferred_username?: unknown }).preferred_username;
            return typeof orgName === "string" ? [orgName] : [];
          })
        : [];
      return { sub: info.sub, name, orgs };
    },
  };
}

/** A provider that could not be discovered is a setting to check, whichever step found it out. */
function toSignInError(error: unknown, message: string): SignInError {
  if (error instanceof HubOidcDiscoveryError) {
    return new SignInError(`${error.message}; check OPENID_PROVIDER_URL`, { cause: error });
  }
  return new SignInError(message, { cause: error });
}

function describeGrantError(error: unknown): string {
  const message = (error as Error).message;
  const code = (error as { code?: string; error?: string }).error;
  if (code === "invalid_grant") {
    return "the sign-in code was refused by the provider (already used, expired, or not issued for this PKCE verifier); sign in again";
  }
  return `the sign-in could not be completed: ${message}; sign in again`;
}
