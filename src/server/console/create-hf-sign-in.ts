import type * as Oidc from "openid-client";
import type { ConsoleUser } from "./console-user.ts";

/**
 * Each request to the OpenID provider (discovery, token, userinfo) gives up after this: a sign-in
 * is a person waiting at a browser, and the Hub answers these in well under a second.
 */
const PROVIDER_TIMEOUT_SECONDS = 10;
/**
 * openid-client is loaded at the first sign-in, not at start-up: a bridge without a console, or one
 * nobody signs in to, never pays for it (issue 21: RSS at idle).
 */
const loadOidc = () => import("openid-client");
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

/** What the browser must bring back to finish a sign-in; kept in a signed cookie meanwhile. */
export interface PendingSignIn {
  state: string;
  codeVerifier: string;
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
 * Sign in with Hugging Face through openid-client: discovery (read once, tried again after a
 * failure), the authorization code flow with PKCE (S256) and state, the ID token checked, then the
 * userinfo endpoint for the user's name and orgs. Plain http is accepted for a provider on this
 * machine only (a test provider); anything else must be https.
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
  let configuration: Promise<Oidc.Configuration> | undefined;
  const configure = () => {
    configuration ??= loadOidc()
      .then((oidc) =>
        oidc.discovery(
          provider,
          settings.clientId,
          settings.clientSecret,
          oidc.ClientSecretBasic(settings.clientSecret),
          {
            timeout: PROVIDER_TIMEOUT_SECONDS,
            ...(loopback ? { execute: [oidc.allowInsecureRequests] } : {}),
          },
        ),
      )
      .then((config) => {
        config.timeout = PROVIDER_TIMEOUT_SECONDS;
        return config;
      })
      .catch((error: unknown) => {
        configuration = undefined;
        throw new SignInError(
          `the OpenID provider ${provider.origin} could not be discovered: ${(error as Error).message}; check OPENID_PROVIDER_URL`,
          { cause: error },
        );
      });
    return configuration;
  };

  return {
    async start(redirectUri) {
      const [config, oidc] = await Promise.all([configure(), loadOidc()]);
      const pending = { state: oidc.randomState(), codeVerifier: oidc.randomPKCECodeVerifier() };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope,
        state: pending.state,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: "S256",
      });
      return { url, pending };
    },

    async finish(callbackUrl, pending) {
      const [config, oidc] = await Promise.all([configure(), loadOidc()]);
      // openid-client checks it too; checked first here to say plainly what went wrong.
      const state = callbackUrl.searchParams.get("state");
      if (state !== pending.state) {
        throw new SignInError(
          `the sign-in came back with state ${JSON.stringify(state)}, not the one this browser started with; start the sign-in again from this page`,
        );
      }
      let tokens: Awaited<ReturnType<typeof Oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          idTokenExpected: scope.split(/\s+/).includes("openid"),
        });
      } catch (error) {
        throw new SignInError(describeGrantError(error), { cause: error });
      }
      const sub = tokens.claims()?.sub ?? oidc.skipSubjectCheck;
      let info: Oidc.UserInfoResponse;
      try {
        info = await oidc.fetchUserInfo(config, tokens.access_token, sub);
      } catch (error) {
        throw new SignInError(
          `the provider's userinfo could not be read: ${(error as Error).message}; sign in again`,
          { cause: error },
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

function describeGrantError(error: unknown): string {
  const message = (error as Error).message;
  const code = (error as { code?: string; error?: string }).error;
  if (code === "invalid_grant") {
    return "the sign-in code was refused by the provider (already used, expired, or not issued for this PKCE verifier); sign in again";
  }
  return `the sign-in could not be completed: ${message}; sign in again`;
}
