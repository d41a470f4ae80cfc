import type * as Oidc from "openid-client";

/**
 * Each request to the OpenID provider (discovery, token, userinfo) gives up after this: a sign-in
 * is a person waiting at a browser, and the Hub answers these in well under a second.
 */
const HUB_OIDC_TIMEOUT_SECONDS = 10;
/**
 * openid-client is loaded at the first sign-in, not at start-up: a bridge without a console, or one
 * nobody signs in to, never pays for it (issue 21: RSS at idle).
 */
const loadOidc = () => import("openid-client");

/** What the browser must bring back to finish a sign-in. */
export interface PendingSignIn {
  state: string;
  codeVerifier: string;
}

/** The provider's discovery document could not be read; the next call tries again. */
export class HubOidcDiscoveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HubOidcDiscoveryError";
  }
}

interface HubOidcClient {
  /** The authorize URL (authorization code flow, PKCE S256, state) and what to keep until it comes back. */
  authorize(redirectUri: string, scope: string): Promise<{ url: URL; pending: PendingSignIn }>;
  /** Exchanges the code in `callbackUrl` (state and PKCE checked by openid-client). */
  grant(
    callbackUrl: URL,
    pending: PendingSignIn,
    idTokenExpected: boolean,
  ): Promise<{ accessToken: string; subject: string | undefined }>;
  /** The userinfo endpoint's answer for the granted token. */
  userInfo(accessToken: string, subject: string | undefined): Promise<Oidc.UserInfoResponse>;
}

/**
 * The Hub as an OpenID provider (Sign in with Hugging Face) through openid-client: discovery read
 * once and tried again after a failure, every request within `HUB_OIDC_TIMEOUT_SECONDS`. `insecure`
 * allows plain http (a test provider on this machine).
 */
export function createHubOidcClient(settings: {
  provider: URL;
  clientId: string;
  clientSecret: string;
  insecure: boolean;
}): HubOidcClient {
  let configuration: Promise<Oidc.Configuration> | undefined;
  const configure = () => {
    configuration ??= loadOidc()
      .then((oidc) =>
        oidc.discovery(
          settings.provider,
          settings.clientId,
          settings.clientSecret,
          oidc.ClientSecretBasic(settings.clientSecret),
          {
            timeout: HUB_OIDC_TIMEOUT_SECONDS,
            ...(settings.insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
          },
        ),
      )
      .then((config) => {
        config.timeout = HUB_OIDC_TIMEOUT_SECONDS;
        return config;
      })
      .catch((error: unknown) => {
        configuration = undefined;
        throw new HubOidcDiscoveryError(
          `the OpenID provider ${settings.provider.origin} could not be discovered: ${(error as Error).message}`,
          { cause: error },
        );
      });
    return configuration;
  };

  return {
    async authorize(redirectUri, scope) {
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

    async grant(callbackUrl, pending, idTokenExpected) {
      const [config, oidc] = await Promise.all([configure(), loadOidc()]);
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        idTokenExpected,
      });
      return { accessToken: tokens.access_token, subject: tokens.claims()?.sub };
    },

    async userInfo(accessToken, subject) {
      const [config, oidc] = await Promise.all([configure(), loadOidc()]);
      return oidc.fetchUserInfo(config, accessToken, subject ?? oidc.skipSubjectCheck);
    },
  };
}
