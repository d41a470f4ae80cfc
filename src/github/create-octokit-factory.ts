import { createAppAuth } from "@octokit/auth-app";
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import type { GitHubRepoRef } from "../effects/effect.ts";
import { PermanentJobError } from "../jobs/job-errors.ts";
import { classifyGitHubError, type GitHubErrorClass } from "./classify-github-error.ts";
import { BridgeOctokit, createBridgeProbot } from "./create-bridge-probot.ts";
import type { GitHubCredentials } from "./read-github-credentials.ts";

export type GitHubOctokit = ProbotOctokit;

/** An authenticated client for one repository and what the executor needs to know about it. */
export interface RepoClient {
  octokit: GitHubOctokit;
  /** Throttle lane: writes through the same installation (or token) share GitHub's limits. */
  lane: string;
  /** The login GitHub shows as author of this client's writes; only its markers are trusted. */
  botLogin: string;
  /** Fetches a fresh installation token after a 401; false when the credential cannot be renewed. */
  refresh(): Promise<boolean>;
}

export interface GitHubIdentity {
  login: string;
  /** Set for a GitHub App, whose installation page users need when it is missing from a repo. */
  app?: { slug: string; htmlUrl: string };
}

/**
 * Whether GitHub accepted one set of credentials (`source`, worded for a maintainer: "GITHUB_TOKEN",
 * "the GitHub App (APP_ID 1)", "the GitHub App's installation on owner/repo"); the alarm's input.
 */
export type CredentialsOutcomeReporter = (
  source: string,
  outcome: { ok: true } | { ok: false; error: string },
  at: Date,
) => void;

export interface OctokitFactory {
  readonly kind: GitHubCredentials["kind"];
  /**
   * Who the credentials are (`GET /app` or `GET /user`): cached after the first success, and a failure
   * is cached too, for a backoff that grows with each failure in a row, so jobs never ask per attempt.
   */
  identity(): Promise<GitHubIdentity>;
  /** The client for a repository; the App's installation on it is looked up once and cached. */
  forRepo(repo: GitHubRepoRef): Promise<RepoClient>;
}

/**
 * A GitHub Actions `GITHUB_TOKEN` is an installation token: `GET /user` refuses it, and its writes are
 * authored by this account.
 */
const ACTIONS_BOT_LOGIN = "github-actions[bot]";
/** After a failed identity look-up, every caller gets the same error for this long before one asks again. */
const IDENTITY_RETRY_BASE_MS = 1_000;
/** Doubling stops here: a broken token costs at most one look-up per five minutes (12 of 5,000 an hour). */
const IDENTITY_RETRY_CAP_MS = 300_000;

/**
 * Builds installation clients through Probot: tokens are fetched (and cached by Probot until shortly
 * before they expire) when a request is made, never when a job is queued.
 */
export function createOctokitFactory(options: {
  credentials: GitHubCredentials;
  log: Logger;
  /** Milliseconds, for the identity's backoff; injected so tests can step past it. */
  now?: () => number;
  /**
   * Told when GitHub refuses the credentials (a 401 on any request, the identity look-up answered
   * with a refusal, a token refresh refused) and when a request they authenticate succeeds.
   */
  onCredentialsOutcome?: CredentialsOutcomeReporter;
}): OctokitFactory {
  const { credentials, log } = options;
  const now = options.now ?? Date.now;
  const probot = createBridgeProbot({ credentials, log });
  const ownSource =
    credentials.kind === "app" ? `the GitHub App (APP_ID ${credentials.appId})` : "GITHUB_TOKEN";
  let ownOctokit: Promise<GitHubOctokit> | undefined;
  let identityPromise: Promise<GitHubIdentity> | undefined;
  /** While a failure is cached: when the next look-up may be sent, and how many failed in a row. */
  let identityRetryAt = 0;
  let identityFailures = 0;
  const installations = new Map<string, Promise<RepoClient>>();
  const installationOctokits = new Map<number, GitHubOctokit>();
  /**
   * The repositories found on each installation: its token serves them all, so its outcomes are
   * theirs. Kept when a client is dropped, so a source that failed is cleared by the next success.
   */
  const installationRepos = new Map<number, Set<string>>();

  function report(sources: Iterable<string>, outcome: { ok: true } | { ok: false; error: string }) {
    if (!options.onCredentialsOutcome) return;
    const at = new Date(now());
    for (const source of sources) options.onCredentialsOutcome(source, outcome, at);
  }

  /** Reports a refusal of the credentials; answers that say nothing about them are left out. */
  function reportRefusal(sources: Iterable<string>, error: unknown, refusals: Refusals) {
    const failure = classifyGitHubError(error, now());
    if (!refusals.has(failure.kind) || !("status" in failure)) return;
    report(sources, { ok: false, error: describeRefusal(error, failure.status, failure.excerpt) });
  }

  /** Every request the octokit sends, installation-token requests included, reports its outcome. */
  function watchOutcomes(octokit: GitHubOctokit, sources: () => Iterable<string>): GitHubOctokit {
    if (!options.onCredentialsOutcome) return octokit;
    octokit.hook.after("request", () => report(sources(), { ok: true }));
    octokit.hook.error("request", (error: unknown) => {
      reportRefusal(sources(), error, UNAUTHORIZED);
      throw error;
    });
    return octokit;
  }

  /** Probot's client for the App (its JWT) or for the token: one instance, watched once. */
  function ownClient(): Promise<GitHubOctokit> {
    ownOctokit ??= probot.auth().then(
      (octokit) => watchOutcomes(octokit, () => [ownSource]),
      (error: unknown) => {
        ownOctokit = undefined;
        throw error;
      },
    );
    return ownOctokit;
  }

  function identity(): Promise<GitHubIdentity> {
    if (identityPromise !== undefined && identityFailures > 0 && now() >= identityRetryAt) {
      identityPromise = undefined;
    }
    identityPromise ??= lookUpIdentity().then(
      (found) => {
        identityFailures = 0;
        // Said here, not only by the hooks: an Actions GITHUB_TOKEN is known by GET /user's 403.
        report([ownSource], { ok: true });
        return found;
      },
      (error: unknown) => {
        identityFailures += 1;
        reportRefusal([ownSource], error, REFUSED);
        const delay = Math.min(
          IDENTITY_RETRY_CAP_MS,
          IDENTITY_RETRY_BASE_MS * 2 ** (identityFailures - 1),
        );
        identityRetryAt = now() + delay;
        log.warn(
          { err: error, retryInMs: delay },
          "reading the GitHub credentials' identity failed; jobs get this error until the next look-up",
        );
        throw error;
      },
    );
    return identityPromise;
  }

  async function lookUpIdentity(): Promise<GitHubIdentity> {
    const octokit = await ownClient();
    if (credentials.kind === "app") {
      const { data } = await octokit.request("GET /app");
      if (!data) throw new Error("GET /app answered without a body");
      return {
        login: `${data.slug}[bot]`,
        app: { slug: data.slug ?? String(data.id), htmlUrl: data.html_url },
      };
    }
    try {
      const { data } = await octokit.request("GET /user");
      return { login: data.login };
    } catch (error) {
      if ((error as { status?: number }).status === 403) return { login: ACTIONS_BOT_LOGIN };
      throw error;
    }
  }

  async function forRepo(repo: GitHubRepoRef): Promise<RepoClient> {
    const fullName = `${repo.owner}/${repo.repo}`;
    let client = installations.get(fullName);
    if (client === undefined) {
      client = clientFor(repo).catch((error: unknown) => {
        installations.delete(fullName);
        throw error;
      });
      installations.set(fullName, client);
    }
    return client;
  }

  async function clientFor(repo: GitHubRepoRef): Promise<RepoClient> {
    const { login } = await identity();
    if (credentials.kind === "token") {
      return {
        octokit: await ownClient(),
        lane: "token",
        botLogin: login,
        refresh: async () => false,
      };
    }
    const installationId = await lookUpInstallation(repo);
    const fullName = `${repo.owner}/${repo.repo}`;
    // Reinstalled under a new id: the old installation's outcomes are no longer this repo's.
    for (const [id, repos] of installationRepos) if (id !== installationId) repos.delete(fullName);
    const repos = installationRepos.get(installationId) ?? new Set<string>();
    installationRepos.set(installationId, repos.add(fullName));
    const octokit = installationOctokit(installationId);
    return {
      octokit,
      lane: `installation:${installationId}`,
      botLogin: login,
      refresh: async () => {
        try {
          await octokit.auth({ type: "installation", refresh: true });
          return true;
        } catch (error) {
          reportRefusal(installationSources(installationId), error, REFUSED);
          // The App may have been uninstalled or reinstalled (new id): look it up again next time.
          installations.delete(fullName);
          installationOctokits.delete(installationId);
          throw error;
        }
      },
    };
  }

  /**
   * Built with @octokit/auth-app directly rather than `probot.auth(id)`: Probot's token request has
   * no base URL, so a forced refresh would go to api.github.com instead of GITHUB_API_URL.
   */
  function installationOctokit(installationId: number): GitHubOctokit {
    let octokit = installationOctokits.get(installationId);
    if (octokit === undefined) {
      if (credentials.kind !== "app") throw new Error("installation clients need App credentials");
      octokit = watchOutcomes(
        new BridgeOctokit({
          authStrategy: createAppAuth,
          auth: { appId: credentials.appId, privateKey: credentials.privateKey, installationId },
          baseUrl: credentials.baseUrl,
          log,
        }),
        () => installationSources(installationId),
      );
      installationOctokits.set(installationId, octokit);
    }
    return octokit;
  }

  function installationSources(installationId: number): string[] {
    return [...(installationRepos.get(installationId) ?? [])].map(
      (fullName) => `the GitHub App's installation on ${fullName}`,
    );
  }

  async function lookUpInstallation(repo: GitHubRepoRef): Promise<number> {
    const appOctokit = await ownClient();
    try {
      const { data } = await appOctokit.request("GET /repos/{owner}/{repo}/installation", {
        owner: repo.owner,
        repo: repo.repo,
      });
      return data.id;
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
      const { app } = await identity();
      throw new PermanentJobError(
        `The GitHub App is not installed on ${repo.owner}/${repo.repo}: install it at ${app?.htmlUrl ?? "the App's page"}/installations/new`,
        { cause: error },
      );
    }
  }

  return { kind: credentials.kind, identity, forRepo };
}

type Refusals = ReadonlySet<GitHubErrorClass["kind"]>;
/** On any request, only a 401 says the credentials are refused; a 403 or 404 is about the request. */
const UNAUTHORIZED: Refusals = new Set(["unauthorized"]);
/**
 * Asking who the credentials are, or for a fresh installation token, is only about them: any refusal
 * (401, 403, 404: a suspended or removed installation) counts; rate limits and 5xx do not.
 */
const REFUSED: Refusals = new Set(["unauthorized", "permanent"]);

/** The failed request and GitHub's sanitised answer; never a header, so never a credential. */
function describeRefusal(error: unknown, status: number | undefined, excerpt: string): string {
  const request = (error as { request?: { method?: unknown; url?: unknown } }).request;
  const path = typeof request?.url === "string" ? URL.parse(request.url)?.pathname : undefined;
  const what = typeof request?.method === "string" && path ? ` to ${request.method} ${path}` : "";
  return `GitHub answered ${status ?? "an error"}${what}: ${excerpt}`;
}
