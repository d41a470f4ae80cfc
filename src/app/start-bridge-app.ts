import { hostname } from "node:os";
import type { Logger } from "pino";
import { createFailureTracker } from "../alarms/create-failure-tracker.ts";
import { createSpaceBuildRegistry } from "../checks/create-space-build-registry.ts";
import type { BridgeConfig } from "../config/config-schema.ts";
import type { PlannedEffect } from "../effects/effect.ts";
import { createDryRunExecutor } from "../github/create-dry-run-executor.ts";
import { createAuthorResolver } from "../hub/create-author-resolver.ts";
import { createHubClient, type HubClient } from "../hub/create-hub-client.ts";
import { HubApiError } from "../hub/hub-api-error.ts";
import type { Executor } from "../jobs/executor.ts";
import { resolveDiscussionSettings } from "../rules/resolve-discussion-settings.ts";
import { type BridgeServer, createBridgeServer } from "../server/create-bridge-server.ts";
import type { SetupStatus } from "../server/render-landing-page.ts";
import type { Store } from "../store/store.ts";
import { createWorker, type WorkerOptions } from "../worker/create-worker.ts";
import type { GitHubTuning } from "./create-github-executor-chain.ts";
import { createPruner } from "./create-pruner.ts";
import { loadMarkerKey } from "./load-marker-key.ts";
import type { BridgeEnvironment } from "./read-bridge-environment.ts";

/**
 * How long a dead worker's jobs wait before another worker takes them over. The worker renews the
 * lease while a job runs, so a live job is never taken over however long it takes.
 */
const LEASE_MS = 60_000;
/** About an hour of backoff at the cap before a job is dead-lettered for a human to replay. */
const MAX_ATTEMPTS = 10;
const BACKOFF = { baseMs: 1_000, capMs: 10 * 60_000 };
/** A safety net only: the server wakes the worker as soon as it queues a delivery. */
const POLL_INTERVAL_MS = 2_000;
/**
 * Jobs at once. GitHub's writes do not burst with more: the write throttle spaces them per lane
 * (fleet-wide on PostgreSQL). The slots let jobs with nothing to write, or on another lane, pass
 * those waiting in the throttle, and a backlog drain overlap its store round trips; GitHub allows
 * 100 concurrent requests. https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
 */
const CONCURRENCY = 16;
/**
 * Jobs at once while deliveries keep arriving: a burst is acknowledged first (the Hub waits for each
 * answer) and worked off once it is over; with fewer, a long flood would leave its jobs waiting.
 */
const CONCURRENCY_WHILE_QUEUEING = 4;
/** Of the shutdown grace, what is kept for closing the listener after the worker has stopped. */
const CLOSE_RESERVE_MS = 500;

type WorkerTuning = Pick<
  WorkerOptions,
  | "leaseMs"
  | "maxAttempts"
  | "backoff"
  | "pollIntervalMs"
  | "concurrency"
  | "concurrencyWhileQueueing"
>;

export interface BridgeAppOptions {
  config: BridgeConfig;
  store: Store;
  environment: BridgeEnvironment;
  logger: Logger;
  port: number;
  host?: string;
  publicUrl?: string;
  /** Never write to GitHub, even with credentials. */
  dryRun?: boolean;
  fetch?: typeof fetch;
  worker?: Partial<WorkerTuning>;
  /**
   * The clock of rate-limit pauses, write spacing, retry times and leases; default the wall clock.
   * A test passes a fast one to live through a long rate-limit storm in seconds.
   */
  clock?: { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> };
  /** How long a Hub write whose answer was lost may still land (HUB_WRITE_LANDING_WINDOW_MS); only tests shorten it. */
  hubLandingWindowMs?: number;
  /** GitHub request timeouts and write limits; only tests shorten or tighten them. */
  github?: GitHubTuning;
}

export interface BridgeApp {
  mode: "dry-run" | "github";
  server: BridgeServer;
  /** Findings known at start-up, in words a user can act on (features that need a token, HF_TOKEN missing); `serve` logs each once, as a `setup:` line. */
  notices: string[];
  /**
   * Resolves with the findings of the set-up checks (GitHub access, the Hub token, write-back), which
   * run after the server listens, once they have all answered.
   */
  setupChecked: Promise<string[]>;
  /**
   * Shuts down within `graceMs`: the server answers 503 from the start and stops listening at the
   * end; the pollers and the pruner stop, and the worker stops claiming (its running jobs get the
   * grace, then go back).
   */
  close(graceMs: number): Promise<void>;
}

/**
 * The composition root: one server (Hub webhooks, endpoint states, GitHub App webhooks), the
 * worker with the dry-run or GitHub executor, and the pollers, over one store. The server listens
 * first: checks of the GitHub and Hub set-up, and the marker key the executor needs, are read in the
 * background, so a slow or hung GitHub cannot keep webhooks from being stored.
 */
export async function startBridgeApp(options: BridgeAppOptions): Promise<BridgeApp> {
  const { config, store, environment, logger } = options;
  const fetchImpl = options.fetch ?? fetch;
  const credentials = options.dryRun ? undefined : environment.github;
  // Found while starting, and found by the background checks; `serve` logs each once as a `setup:`
  // line, and the landing page shows them.
  const notices: string[] = [];
  const found: string[] = [];
  const report = (notice: string) => notices.push(notice);
  const reportFound = (notice: string) => found.push(notice);
  const hub = environment.hfToken
    ? createHubClient({ baseUrl: environment.hubUrl, token: environment.hfToken, fetch: fetchImpl })
    : undefined;
  const builds = createSpaceBuildRegistry(store);
  /** Names this process among replicas: the worker's leases and the pollers' leases. */
  const replicaId = `${hostname()}:${process.pid}`;

  let executor: Executor<PlannedEffect> = createDryRunExecutor({ logger });
  let githubWebhooks: { secret: string; markerKey: () => Promise<string> } | undefined;
  let checkSetup = async (): Promise<string[]> => [];
  let setupState: SetupStatus["state"] = "done";
  /** Its own tracker: a credential's alarm has its own threshold and wording, apart from the pollers'. */
  const credentialFailures = createFailureTracker();
  if (credentials) {
    // Loaded when first needed (a job, the background set-up check), not before the first 202:
    // Probot and the GitHub executors are most of the start-up's module loading.
    const octokitFactory = once(async () => {
      const { createOctokitFactory } = await import("../github/create-octokit-factory.ts");
      return createOctokitFactory({
        credentials,
        log: logger,
        onCredentialsOutcome: credentialFailures.record,
      });
    });
    // Each part is read once and shared; a failed read (a store that is down) is tried again later.
    const markerKey = once(() => loadMarkerKey(store, environment.markerKey));
    const hubAccountId = once(async () => (hub ? readHubAccountId(hub, reportFound) : undefined));
    const githubExecutor = once(async () => {
      const [key, accountId, factory, { createGitHubExecutorChain }] = await Promise.all([
        markerKey(),
        hubAccountId(),
        octokitFactory(),
        import("./create-github-executor-chain.ts"),
      ]);
      return createGitHubExecutorChain({
        config,
        octokitFactory: factory,
        markerKey: key,
        builds,
        hub: {
          hubUrl: environment.hubUrl,
          fetch: fetchImpl,
          ...(environment.hfToken ? { accessToken: environment.hfToken } : {}),
        },
        ...(accountId ? { hubAccountId: accountId } : {}),
        ...(hub ? { hubDiscussions: hub } : {}),
        ...(options.hubLandingWindowMs === undefined
          ? {}
          : { hubLandingWindowMs: options.hubLandingWindowMs }),
        logger,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.github ? { tuning: options.github } : {}),
        ...(store.writeSchedule ? { fleet: store.writeSchedule } : {}),
      });
    });
    // Jobs wait for the executor's parts; until they are read, webhooks are stored and queued.
    executor = {
      mode: "github",
      execute: async (effect, context) => (await githubExecutor()).execute(effect, context),
    };
    githubWebhooks = mountWriteBack({ config, credentials, hub, markerKey, report });
    setupState = "checking";
    checkSetup = () =>
      Promise.all([
        Promise.all([import("../github/check-github-setup.ts"), octokitFactory()])
          .then(([{ checkGitHubSetup }, factory]) =>
            checkGitHubSetup({ config, credentials, octokitFactory: factory }),
          )
          .then(
            (findings) => {
              for (const finding of findings) {
                reportFound(finding.repo ? `${finding.repo}: ${finding.message}` : finding.message);
              }
            },
            (error: unknown) =>
              reportFound(`the GitHub set-up check failed: ${(error as Error).message}`),
          ),
        hubAccountId(),
        markerKey().catch((error: unknown) =>
          reportFound(
            `the link-marker key could not be read from the store: ${(error as Error).message}; jobs try again when they run`,
          ),
        ),
      ]).then(() => {
        setupState = "done";
        return found;
      });
  }

  // With HF_TOKEN, the ids in Hub payloads become usernames (a token reads private repos too).
  const authors =
    hub && credentials ? createAuthorResolver({ hub, users: config.users }) : undefined;
  const worker = createWorker({
    store,
    config,
    executor,
    logger,
    ...(authors ? { prepareEvent: authors.resolve } : {}),
    workerId: replicaId,
    leaseMs: LEASE_MS,
    maxAttempts: MAX_ATTEMPTS,
    backoff: BACKOFF,
    pollIntervalMs: POLL_INTERVAL_MS,
    concurrency: CONCURRENCY,
    // A tuning that lowers the slots lowers them while queueing too.
    concurrencyWhileQueueing: Math.min(
      CONCURRENCY_WHILE_QUEUEING,
      options.worker?.concurrency ?? CONCURRENCY,
    ),
    hubUrl: environment.hubUrl,
    ...(options.clock ? { now: clockDate(options.clock) } : {}),
    ...options.worker,
  });
  const wake = () => worker.wake();
  const server = await createBridgeServer({
    store,
    config,
    secrets: environment.webhookSecrets,
    allowUnsigned: environment.webhookSecrets.length === 0,
    logger,
    mode: credentials ? "github" : "dry-run",
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    hubUrl: environment.hubUrl,
    ...(githubWebhooks ? { githubWebhooks } : {}),
    onQueued: wake,
    setupStatus: () => ({ state: setupState, notices: [...notices, ...found] }),
    pageDetails: environment.pageDetails,
    replicaId,
    consoleAccess: {
      ...(environment.oauth ? { oauth: environment.oauth } : {}),
      ...(environment.apiToken ? { apiToken: environment.apiToken } : {}),
    },
    ...(environment.metricsToken
      ? {
          metrics: {
            // prom-client (and the OpenTelemetry API it loads) only where /metrics is served.
            collector: (await import("../metrics/create-bridge-metrics.ts")).createBridgeMetrics({
              store,
              replicaId,
            }),
            token: environment.metricsToken,
          },
        }
      : {}),
  });
  worker.start();
  const setupChecked = checkSetup();

  const pollFailures = createFailureTracker();
  const onPollOutcome = pollFailures.record;
  const backgroundTasks: Array<{ start(): void; stop(): Promise<void> }> = [
    createPruner({ store, retentionDays: config.retentionDays, logger }),
  ];
  if (config.endpoints.length > 0) {
    if (environment.hfToken) {
      const { createEndpointPoller } = await import(
        "../pollers/endpoints/create-endpoint-poller.ts"
      );
      backgroundTasks.push(
        createEndpointPoller({
          store,
          config,
          fetch: fetchImpl,
          baseUrl: environment.endpointsApiUrl,
          token: environment.hfToken,
          logger,
          onEvents: wake,
          onPollOutcome,
          ...(store.shared ? { lease: { holder: replicaId } } : {}),
        }),
      );
    } else {
      report(
        "endpoints are configured but HF_TOKEN is not set, so they are not polled: set HF_TOKEN to a token that can read the namespaces",
      );
    }
  }
  if (credentials) {
    const { createSpaceRuntimePoller } = await import(
      "../pollers/space-runtime/create-space-runtime-poller.ts"
    );
    backgroundTasks.push(
      createSpaceRuntimePoller({
        store,
        builds,
        fetch: fetchImpl,
        hubUrl: environment.hubUrl,
        ...(environment.hfToken ? { accessToken: environment.hfToken } : {}),
        logger,
        onEvents: wake,
        onPollOutcome,
        ...(store.shared ? { lease: { holder: replicaId } } : {}),
      }),
    );
  }
  if (config.alerts) {
    const { createAlarmMonitor } = await import("../alarms/create-alarm-monitor.ts");
    const alarms = createAlarmMonitor({
      store,
      config,
      logger,
      pollers: pollFailures,
      credentials: credentialFailures,
      onQueued: wake,
    });
    backgroundTasks.push({
      start: () => alarms.start(),
      stop: async () => alarms.stop(),
    });
  }
  for (const task of backgroundTasks) task.start();

  return {
    mode: credentials ? "github" : "dry-run",
    server,
    notices,
    setupChecked,
    async close(graceMs) {
      // Answering 503 (with Retry-After) until the end, not refusing connections: senders retry.
      server.drain();
      await Promise.all([
        ...backgroundTasks.map((task) => task.stop()),
        worker.stop(Math.max(0, graceMs - CLOSE_RESERVE_MS)),
      ]);
      await server.close();
    },
  };
}

async function readHubAccountId(
  hub: HubClient,
  report: (notice: string) => void,
): Promise<string | undefined> {
  try {
    return (await hub.whoAmI()).id;
  } catch (error) {
    const consequence = "until then the bridge cannot tell its own Hub comments from others";
    report(
      error instanceof HubApiError
        ? `HF_TOKEN was not accepted by the Hub (${error.message}): check the token; ${consequence}`
        : `${(error as Error).message}; HF_TOKEN could not be checked, and ${consequence}`,
    );
    return undefined;
  }
}

/**
 * GitHub → Hub replies, and approvals of held Hub PR runs (`pullRequests` on a route that mirrors
 * discussions), need the App's webhooks (served at /api/github/webhooks, signed with WEBHOOK_SECRET)
 * and a Hub token; without them that path is not served.
 */
function mountWriteBack(deps: {
  config: BridgeConfig;
  credentials: NonNullable<BridgeEnvironment["github"]>;
  hub: HubClient | undefined;
  /** Read when a GitHub delivery arrives, so other requests never wait on the store for it. */
  markerKey: () => Promise<string>;
  report: (notice: string) => void;
}): { secret: string; markerKey: () => Promise<string> } | undefined {
  const writeBack = deps.config.routes.some(
    (route) => typeof route.discussions === "object" && route.discussions.writeBack,
  );
  const approvals = deps.config.routes.some(
    (route) => route.pullRequests !== undefined && resolveDiscussionSettings(route) !== undefined,
  );
  if (!writeBack && !approvals) {
    // Results of Hub PR runs come as workflow_run webhooks; without an App, the Action's report step brings them.
    const results = deps.config.routes.some((route) => route.pullRequests !== undefined);
    const { credentials } = deps;
    if (results && deps.hub && credentials.kind === "app" && credentials.webhookSecret) {
      return { secret: credentials.webhookSecret, markerKey: deps.markerKey };
    }
    return undefined;
  }
  const why = writeBack
    ? "a route has discussions.writeBack on"
    : "a route with pullRequests mirrors discussions (approvals come from the mirrored issue)";
  if (!deps.hub) {
    deps.report(
      `${why}, but HF_TOKEN is not set: set HF_TOKEN to a Hub token with write access to the mirrored repos`,
    );
    return undefined;
  }
  if (deps.credentials.kind !== "app" || !deps.credentials.webhookSecret) {
    deps.report(
      `${why}, which needs GitHub webhooks from a GitHub App: set APP_ID, PRIVATE_KEY and WEBHOOK_SECRET`,
    );
    return undefined;
  }
  return { secret: deps.credentials.webhookSecret, markerKey: deps.markerKey };
}

/** `make` run on the first call and its result shared; a failure is forgotten, so a later call tries again. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= make().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

function clockDate(clock: { now(): number }): () => Date {
  return () => new Date(clock.now());
}
