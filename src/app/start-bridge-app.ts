import { hostname } from "node:os";
import type { Logger } from "pino";
import { createSpaceBuildRegistry } from "../checks/create-space-build-registry.ts";
import type { BridgeConfig } from "../config/config-schema.ts";
import { checkGitHubSetup } from "../github/check-github-setup.ts";
import { createDryRunExecutor } from "../github/create-dry-run-executor.ts";
import { createOctokitFactory } from "../github/create-octokit-factory.ts";
import { createProbotMiddleware } from "../github/create-probot-middleware.ts";
import type { Executor } from "../github/executor.ts";
import { createHubClient, type HubClient } from "../hub/create-hub-client.ts";
import { HubApiError } from "../hub/hub-api-error.ts";
import { createBridgeMetrics } from "../metrics/create-bridge-metrics.ts";
import { createWriteBackApp } from "../mirror/create-write-back-app.ts";
import { createEndpointPoller } from "../pollers/create-endpoint-poller.ts";
import { createSpaceRuntimePoller } from "../pollers/space-runtime-poller.ts";
import { type BridgeServer, createBridgeServer } from "../server/create-bridge-server.ts";
import type { RequestHandler } from "../server/route-handler.ts";
import type { Store } from "../store/store.ts";
import { createWorker, type WorkerOptions } from "../worker/create-worker.ts";
import { createGitHubExecutorChain } from "./create-bridge-executor.ts";
import { createPruner } from "./create-pruner.ts";
import { loadMarkerKey } from "./load-marker-key.ts";
import type { BridgeEnvironment } from "./read-bridge-environment.ts";

/** Longer than the slowest chain of GitHub writes one job makes, so a live job is never taken over. */
const LEASE_MS = 120_000;
/** About an hour of backoff at the cap before a job is dead-lettered for a human to replay. */
const MAX_ATTEMPTS = 10;
const BACKOFF = { baseMs: 1_000, capMs: 10 * 60_000 };
/** A safety net only: the server wakes the worker as soon as it queues a delivery. */
const POLL_INTERVAL_MS = 2_000;
/** GitHub's secondary rate limits punish bursts; a few jobs at once is plenty for one bridge. */
const CONCURRENCY = 4;

type WorkerTuning = Pick<
  WorkerOptions,
  "leaseMs" | "maxAttempts" | "backoff" | "pollIntervalMs" | "concurrency"
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
}

export interface BridgeApp {
  mode: "dry-run" | "github";
  server: BridgeServer;
  /** Start-up findings in words a user can act on (missing access, features that need a token). */
  notices: string[];
  /**
   * Stops the server, the pollers and the pruner, then the worker (running jobs get `graceMs`, then
   * go back).
   */
  close(graceMs: number): Promise<void>;
}

/**
 * The composition root: one server (Hub webhooks, endpoint states, Probot's GitHub webhooks), the
 * worker with the dry-run or GitHub executor, and the pollers, over one store.
 */
export async function startBridgeApp(options: BridgeAppOptions): Promise<BridgeApp> {
  const { config, store, environment, logger } = options;
  const fetchImpl = options.fetch ?? fetch;
  const credentials = options.dryRun ? undefined : environment.github;
  const notices: string[] = [];
  const hub = environment.hfToken
    ? createHubClient({ baseUrl: environment.hubUrl, token: environment.hfToken, fetch: fetchImpl })
    : undefined;
  const builds = createSpaceBuildRegistry(store);

  let executor: Executor = createDryRunExecutor({ logger });
  const extraHandlers: RequestHandler[] = [];
  if (credentials) {
    const octokitFactory = createOctokitFactory({ credentials, log: logger });
    const markerKey = await loadMarkerKey(store, environment.markerKey);
    for (const finding of await checkGitHubSetup({ config, credentials, octokitFactory })) {
      notices.push(finding.repo ? `${finding.repo}: ${finding.message}` : finding.message);
    }
    const hubAccountId = hub ? await readHubAccountId(hub, notices) : undefined;
    executor = createGitHubExecutorChain({
      config,
      octokitFactory,
      markerKey,
      builds,
      hub: {
        hubUrl: environment.hubUrl,
        fetch: fetchImpl,
        ...(environment.hfToken ? { accessToken: environment.hfToken } : {}),
      },
      ...(hubAccountId ? { hubAccountId } : {}),
      ...(hub ? { hubDiscussions: hub } : {}),
      logger,
    });
    const writeBack = await mountWriteBack({
      config,
      store,
      credentials,
      octokitFactory,
      hub,
      markerKey,
      logger,
      notices,
    });
    if (writeBack) extraHandlers.push(writeBack);
  }

  const worker = createWorker({
    store,
    config,
    executor,
    logger,
    workerId: `${hostname()}:${process.pid}`,
    leaseMs: LEASE_MS,
    maxAttempts: MAX_ATTEMPTS,
    backoff: BACKOFF,
    pollIntervalMs: POLL_INTERVAL_MS,
    concurrency: CONCURRENCY,
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
    extraHandlers,
    onQueued: wake,
    pageDetails: environment.pageDetails,
    ...(environment.metricsToken
      ? {
          metrics: {
            collector: createBridgeMetrics({ store }),
            token: environment.metricsToken,
          },
        }
      : {}),
  });
  worker.start();

  const backgroundTasks: Array<{ start(): void; stop(): Promise<void> }> = [
    createPruner({ store, retentionDays: config.retentionDays, logger }),
  ];
  if (config.endpoints.length > 0) {
    if (environment.hfToken) {
      backgroundTasks.push(
        createEndpointPoller({
          store,
          config,
          fetch: fetchImpl,
          baseUrl: environment.endpointsApiUrl,
          token: environment.hfToken,
          logger,
          onEvents: wake,
        }),
      );
    } else {
      notices.push(
        "endpoints are configured but HF_TOKEN is not set, so they are not polled: set HF_TOKEN to a token that can read the namespaces",
      );
    }
  }
  if (credentials) {
    backgroundTasks.push(
      createSpaceRuntimePoller({
        store,
        builds,
        fetch: fetchImpl,
        hubUrl: environment.hubUrl,
        ...(environment.hfToken ? { accessToken: environment.hfToken } : {}),
        logger,
        onEvents: wake,
      }),
    );
  }
  for (const task of backgroundTasks) task.start();
  for (const notice of notices) logger.warn(notice);

  return {
    mode: credentials ? "github" : "dry-run",
    server,
    notices,
    async close(graceMs) {
      await server.close();
      await Promise.all(backgroundTasks.map((task) => task.stop()));
      await worker.stop(graceMs);
    },
  };
}

async function readHubAccountId(hub: HubClient, notices: string[]): Promise<string | undefined> {
  try {
    return (await hub.whoAmI()).id;
  } catch (error) {
    const consequence = "until then the bridge cannot tell its own Hub comments from others";
    notices.push(
      error instanceof HubApiError
        ? `HF_TOKEN was not accepted by the Hub (${error.message}): check the token; ${consequence}`
        : `${(error as Error).message}; HF_TOKEN could not be checked, and ${consequence}`,
    );
    return undefined;
  }
}

/** GitHub → Hub replies need the App's webhooks (Probot) and a Hub token that can write. */
async function mountWriteBack(deps: {
  config: BridgeConfig;
  store: Store;
  credentials: NonNullable<BridgeEnvironment["github"]>;
  octokitFactory: ReturnType<typeof createOctokitFactory>;
  hub: HubClient | undefined;
  markerKey: string;
  logger: Logger;
  notices: string[];
}): Promise<RequestHandler | undefined> {
  const wanted = deps.config.routes.some(
    (route) => typeof route.discussions === "object" && route.discussions.writeBack,
  );
  if (!wanted) return undefined;
  if (!deps.hub) {
    deps.notices.push(
      "a route has discussions.writeBack on, but HF_TOKEN is not set: set HF_TOKEN to a Hub token with write access to the mirrored repos",
    );
    return undefined;
  }
  if (deps.credentials.kind !== "app" || !deps.credentials.webhookSecret) {
    deps.notices.push(
      "a route has discussions.writeBack on, which needs GitHub webhooks from a GitHub App: set APP_ID, PRIVATE_KEY and WEBHOOK_SECRET",
    );
    return undefined;
  }
  const middleware = await createProbotMiddleware({
    credentials: deps.credentials,
    log: deps.logger,
    appFn: createWriteBackApp({
      config: deps.config,
      store: deps.store,
      octokitFactory: deps.octokitFactory,
      hub: deps.hub,
      markerKey: deps.markerKey,
      log: deps.logger,
    }),
  });
  return async (req, res) => (await middleware(req, res)) === true;
}
