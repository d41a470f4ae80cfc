import type { Logger } from "pino";
import { Probot, ProbotOctokit } from "probot";
import type { GitHubCredentials } from "./read-github-credentials.ts";

/**
 * Octokit as Probot builds it, minus its retry and throttling plugins: they re-send POSTs after a 5xx
 * (duplicate issues) and retry rate limits forever. The executor owns both.
 */
export const BridgeOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object | undefined), enabled: false },
  retry: { enabled: false },
})) as typeof ProbotOctokit;

/** A Probot for the bridge's credentials, pointed at `GITHUB_API_URL`, logging through the bridge. */
export function createBridgeProbot(options: {
  credentials: GitHubCredentials;
  log: Logger;
}): Probot {
  const { credentials, log } = options;
  const common = { baseUrl: credentials.baseUrl, Octokit: BridgeOctokit, log };
  return credentials.kind === "app"
    ? new Probot({
        ...common,
        appId: credentials.appId,
        privateKey: credentials.privateKey,
      })
    : new Probot({ ...common, githubToken: credentials.token });
}
