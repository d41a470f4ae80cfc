import { PermanentJobError, RetryLaterError } from "../jobs/job-errors.ts";
import type { WriteKind } from "../store/write-schedule.ts";
import { describeNetworkFailure } from "../util/describe-network-failure.ts";
import { classifyGitHubError } from "./classify-github-error.ts";
import type { RepoClient } from "./create-octokit-factory.ts";
import { UnknownOutcomeError } from "./unknown-outcome-error.ts";
import type { LanePause, WriteThrottle } from "./write-throttle.ts";

/**
 * Rate-limit answers to one request that are waited out in place; after that the job goes back to
 * the queue, so a limit that keeps coming back cannot turn into a retry loop.
 */
const MAX_RATE_LIMIT_WAITS = 3;

/** Octokit's failed requests carry their own URL, which the message shows instead of this. */
const GITHUB_API = { service: "GitHub", url: "the GitHub API", setting: "GITHUB_API_URL" };

interface GitHubCall<T> {
  client: RepoClient;
  throttle: WriteThrottle;
  /** Reads skip the write lane; writes and content-creating writes queue on it. */
  kind: "read" | WriteKind;
  /** What the request does, for error messages, e.g. "create issue in acme/app". */
  description: string;
  send: () => Promise<T>;
  now: () => number;
  /**
   * Aborted when the job may no longer write (lost or gave back its lease): a request not yet sent
   * never is, and a wait for the throttle ends at once with the signal's reason.
   */
  signal?: AbortSignal;
  /**
   * Runs right before each send, inside the throttle's slot (a create records its intent here, so
   * the intent's time is the request's). What it throws is passed on as it is: nothing was sent.
   */
  beforeSend?: () => Promise<void>;
}

/** Carries a failure from before the request, so it is not mistaken for GitHub's answer. */
class NotSentError extends Error {
  readonly reason: unknown;
  constructor(reason: unknown) {
    super("not sent");
    this.reason = reason;
  }
}

/**
 * Sends one request: writes through the installation's throttle, every request (reads too) admitted
 * by the lane's rate-limit state, rate limits paused on the lane (longer when they come in a row) and
 * waited out or deferred, a 401 answered by refreshing the token once. Throws PermanentJobError for
 * answers a retry cannot change and UnknownOutcomeError when GitHub may have acted anyway.
 */
export async function sendGitHubRequest<T>(call: GitHubCall<T>): Promise<T> {
  const { client, throttle, kind, description, signal } = call;
  let refreshed = false;
  let rateLimitWaits = 0;
  let lanePause: LanePause | undefined;
  // The lane learns every outcome before the throttle lets the next write go: a rate limit pauses
  // the lane before anyone else can send into it.
  const attempt = async (): Promise<T> => {
    const ticket = throttle.admit(client.lane);
    try {
      signal?.throwIfAborted();
      await call.beforeSend?.();
    } catch (error) {
      // Nothing reached GitHub: the lane learns nothing about its limits from this one.
      throttle.settle(client.lane, ticket, { kind: "no-answer" });
      throw new NotSentError(error);
    }
    try {
      const result = await call.send();
      throttle.settle(client.lane, ticket, { kind: "answered" });
      return result;
    } catch (error) {
      const failure = classifyGitHubError(error, call.now());
      lanePause = throttle.settle(
        client.lane,
        ticket,
        failure.kind === "rate-limit"
          ? { kind: "rate-limit", until: failure.until, reason: failure.reason }
          : failure.status === undefined
            ? { kind: "no-answer" }
            : { kind: "answered" },
      );
      throw error;
    }
  };
  for (;;) {
    try {
      return kind === "read"
        ? await attempt()
        : await throttle.run(client.lane, kind, attempt, signal);
    } catch (error) {
      if (error instanceof NotSentError) throw error.reason;
      if (error instanceof RetryLaterError || (signal?.aborted && error === signal.reason)) {
        throw error;
      }
      const failure = classifyGitHubError(error, call.now());
      switch (failure.kind) {
        case "rate-limit":
          rateLimitWaits++;
          if (kind === "read" || rateLimitWaits > MAX_RATE_LIMIT_WAITS) {
            const pause = lanePause ?? { until: failure.until, reason: failure.reason };
            throw new RetryLaterError(`${description}: ${pause.reason}`, new Date(pause.until));
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
          throw new Error(
            `${description}: ${failure.status === undefined ? "" : `GitHub answered ${failure.status}: `}${failure.excerpt}`,
          );
      }
    }
  }
}
