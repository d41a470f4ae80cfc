import { describeNetworkFailure } from "../util/describe-network-failure.ts";
import { PermanentJobError, RetryLaterError } from "../worker/job-errors.ts";
import { classifyGitHubError } from "./classify-github-error.ts";
import type { RepoClient } from "./create-octokit-factory.ts";
import { UnknownOutcomeError } from "./unknown-outcome-error.ts";
import type { WriteKind, WriteThrottle } from "./write-throttle.ts";

/**
 * Rate-limit answers to one request that are waited out in place; after that the job goes back to
 * the queue, so a limit that keeps coming back cannot turn into a retry loop.
 */
const MAX_RATE_LIMIT_WAITS = 3;

/** Octokit's failed requests carry their own URL, which the message shows instead of this. */
const GITHUB_API = { service: "GitHub", url: "the GitHub API", setting: "GITHUB_API_URL" };

export interface GitHubCall<T> {
  client: RepoClient;
  throttle: WriteThrottle;
  /** Reads skip the write lane; writes and content-creating writes queue on it. */
  kind: "read" | WriteKind;
  /** What the request does, for error messages, e.g. "create issue in acme/app". */
  description: string;
  send: () => Promise<T>;
  now: () => number;
}

/**
 * Sends one request: writes through the installation's throttle, rate limits paused on the lane and
 * waited out (or deferred), a 401 answered by refreshing the token once. Throws PermanentJobError
 * for answers a retry cannot change and UnknownOutcomeError when GitHub may have acted anyway.
 */
export async function sendGitHubRequest<T>(call: GitHubCall<T>): Promise<T> {
  const { client, throttle, kind, description } = call;
  let refreshed = false;
  let rateLimitWaits = 0;
  for (;;) {
    try {
      return kind === "read" ? await call.send() : await throttle.run(client.lane, kind, call.send);
    } catch (error) {
      if (error instanceof RetryLaterError) throw error;
      const failure = classifyGitHubError(error, call.now());
      switch (failure.kind) {
        case "rate-limit":
          throttle.pause(client.lane, failure.until, failure.reason);
          rateLimitWaits++;
          if (kind === "read" || rateLimitWaits > MAX_RATE_LIMIT_WAITS) {
            throw new RetryLaterError(`${description}: ${failure.reason}`, new Date(failure.until));
          }
          continue;
        case "unauthorized":
          if (!refreshed && (await client.refresh())) {
            refreshed = true;
            continue;
          }
          throw new PermanentJobError(
            `${description}: GitHub answered 401 (${failure.excerpt})${refreshed ? " even with a fresh installation token" : ""}; check APP_ID and PRIVATE_KEY, or GITHUB_TOKEN`,
          );
        case "permanent":
          throw new PermanentJobError(
            `${description}: GitHub answered ${failure.status}: ${failure.excerpt}`,
          );
        case "unknown-outcome":
          throw new UnknownOutcomeError(
            `${description}: ${
              describeNetworkFailure(error, GITHUB_API) ??
              `${failure.status === undefined ? "no answer" : `GitHub answered ${failure.status}`} (${failure.excerpt})`
            }`,
            failure.status,
          );
        case "other":
          throw new Error(`${description}: GitHub answered ${failure.status}: ${failure.excerpt}`);
      }
    }
  }
}
