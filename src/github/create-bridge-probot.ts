import type { Logger } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { fetchWithTimeout } from "../util/fetch-with-timeout.ts";
import type { GitHubCredentials } from "./read-github-credentials.ts";

/**
 * Any GitHub request, those outside the executor too (set-up checks, installation look-ups, reads of
 * the mirror): GitHub answers in well under this, so a request still open by then is lost.
 */
const GITHUB_REQUEST_TIMEOUT_MS = 30_000;
/**
 * Every job of an installation waits on its one token request (auth-app shares it between callers),
 * and GitHub mints a token in well under a second.
 */
const INSTALLATION_TOKEN_TIMEOUT_MS = 10_000;
const INSTALLATION_TOKEN_PATH = /\/app\/installations\/\d+\/access_tokens$/;

const githubFetch = fetchWithTimeout((url, method) =>
  method === "POST" && INSTALLATION_TOKEN_PATH.test(new URL(url).pathname)
    ? INSTALLATION_TOKEN_TIMEOUT_MS
    : GITHUB_REQUEST_TIMEOUT_MS,
);

/**
 * Octokit as Probot builds it, minus its retry and throttling plugins: they re-send POSTs after a 5xx
 * (duplicate issues) and retry rate limits forever. The executor owns both. Every request, the App's
 * installation-token requests included (auth-app sends them through this client's `request`), has a
 * time limit.
 */
export const BridgeOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  request: { ...(options.request as object | undefined), fetch: githubFetch },
  throttle: { ...(options.throttle as object | undefined), enabled: false },
  retry: { enabled: false },
})) as typeof ProbotOctokit;

/** A Probot for the bridge's credentials, pointed at `GITHUB_API_URL`, logging through the bridge. */
export function createBridgeProbot(options: {
  credentials: GitHubCredentials;
  log: Logger;
}): Probot {
  const { credentials, log } = options;
  const common = {
    baseUrl: credentials.baseUrl,
    Octokit: BridgeOctokit,
    // Probot's own token requests go through a request built from this, not through the Octokit.
    request: { fetch: githubFetch },
    log,
  };
  return credentials.kind === "app"
    ? new Probot({
        ...common,
        appId: credentials.appId,
        privateKey: credentials.privateKey,
      })
    : new Probot({ ...common, githubToken: credentials.token });
}
