import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import { createCommitMatchingExecutor } from "../../../src/checks/create-commit-matching-executor.ts";
import { createSpaceBuildRegistry } from "../../../src/checks/create-space-build-registry.ts";
import { configSchema } from "../../../src/config/config-schema.ts";
import { createGitHubExecutor } from "../../../src/github/create-github-executor.ts";
import {
  type CredentialsOutcomeReporter,
  createOctokitFactory,
  type OctokitFactory,
} from "../../../src/github/create-octokit-factory.ts";
import {
  type GitHubCredentials,
  readGitHubCredentials,
} from "../../../src/github/read-github-credentials.ts";
import { createWriteThrottle } from "../../../src/github/write-throttle.ts";
import { createHubClient } from "../../../src/hub/create-hub-client.ts";
import { createPathFilterExecutor } from "../../../src/paths/create-path-filter-executor.ts";
import {
  createSpaceRuntimePoller,
  type SpaceRuntimePoller,
} from "../../../src/pollers/space-runtime/create-space-runtime-poller.ts";
import type { PollerClock } from "../../../src/pollers/system-poller-clock.ts";
import { createTrustGateExecutor } from "../../../src/pull-requests/create-trust-gate-executor.ts";
import { type BridgeServer, createBridgeServer } from "../../../src/server/create-bridge-server.ts";
import { createSqliteStore } from "../../../src/store/sqlite/create-sqlite-store.ts";
import type { DeliverySummary, Store } from "../../../src/store/store.ts";
import { createLogger } from "../../../src/util/create-logger.ts";
import { createWorker, type Worker } from "../../../src/worker/create-worker.ts";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github/start-fake-github.ts";
import type { FakeCheckRun, FakeRepoSeed } from "../../support/fake-github/types.ts";
import {
  commitListRoutes,
  type FakeHubCommits,
} from "../../support/fake-hub/commit-list-routes.ts";
import {
  type FakeSpaceRuntimes,
  spaceRuntimeRoutes,
} from "../../support/fake-hub/space-runtime-routes.ts";
import {
  type FakeSpaceStreams,
  spaceStreamRoutes,
} from "../../support/fake-hub/space-stream-routes.ts";
import { type FakeHub, startFakeHub } from "../../support/fake-hub/start-fake-hub.ts";
import { type FakeHubTrees, treeRoutes } from "../../support/fake-hub/tree-routes.ts";

export const WEBHOOK_SECRET = "checks-test-webhook-secret";
export const HF_TOKEN = "hf_checks_test_token";
const MARKER_KEY = "checks-test-marker-key";
/** Jobs finish within a second here; the generous bound only matters on a loaded CI machine. */
const JOBS_SETTLE_TIMEOUT_MS = 20_000;

const APP_PRIVATE_KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

/** The poller's and the executor's time, moved by hand so builds can last minutes in no time. */
export interface ManualClock extends PollerClock {
  advance(ms: number): void;
}

export interface ChecksBridge {
  github: FakeGitHub;
  hub: FakeHub;
  runtimes: FakeSpaceRuntimes;
  /** The Space status and build-log streams; `/events` answers 404 unless `spaceStreams` was set. */
  streams: FakeSpaceStreams;
  hubCommits: FakeHubCommits;
  /** Tree listings of the fake Hub, for dispatch rules with paths. */
  hubTrees: FakeHubTrees;
  store: Store;
  /** The executors' GitHub clients and their credentials, for a set-up check through them. */
  octokitFactory: OctokitFactory;
  credentials: GitHubCredentials;
  /** The SQLite file, for CLI commands run against the same store. */
  storePath: string;
  server: BridgeServer;
  worker: Worker;
  poller: SpaceRuntimePoller;
  clock: ManualClock;
  /** POSTs a Hub webhook body to the real server with the secret; returns the HTTP status. */
  sendHub(body: unknown): Promise<number>;
  /** Waits until every stored job is done or dead, and returns the deliveries, oldest first. */
  settle(): Promise<DeliverySummary[]>;
  /** One poll of every followed Space, then every job it queued run by the worker. */
  pollAndSettle(): Promise<void>;
  checkRuns(): FakeCheckRun[];
  runtimeRequests(): number;
  close(): Promise<void>;
}

/**
 * The real HTTP server, SQLite store and worker, the GitHub executor wrapped by the commit-matching
 * executor, and the Space runtime poller, against the fake GitHub (App auth) and the fake Hub.
 */
export async function startChecksBridge(options: {
  config: unknown;
  repos: FakeRepoSeed[];
  /** The fake Hub streams Space status events; without it `/events` answers 404 (a Hub without streams). */
  spaceStreams?: boolean;
  /** Told what GitHub made of the App's credentials, as `serve` tells its alarm. */
  onCredentialsOutcome?: CredentialsOutcomeReporter;
  /** The GitHub clients' clock (the time of those outcomes); default the wall clock. */
  githubNow?: () => number;
}): Promise<ChecksBridge> {
  const config = configSchema.parse(options.config);
  const logger = createLogger({ level: "silent" });
  const github = await startFakeGitHub({ repos: options.repos });
  const hub = await startFakeHub({ tokens: { [HF_TOKEN]: { id: "bridge-id", name: "bridge" } } });
  const runtimes = spaceRuntimeRoutes();
  const hubCommits = commitListRoutes();
  const hubTrees = treeRoutes();
  const streams = spaceStreamRoutes();
  for (const route of [
    ...runtimes.routes,
    ...hubCommits.routes,
    ...streams.routes,
    ...hubTrees.routes,
  ]) {
    hub.addRoute(route);
  }
  if (!options.spaceStreams) {
    hub.addRoute({
      method: "GET",
      pattern: /^\/api\/spaces\/[^/]+\/[^/]+\/events$/,
      handle: () => ({ status: 404, body: { error: "Not Found" } }),
    });
  }
  const directory = mkdtempSync(join(tmpdir(), "checks-bridge-"));
  const storePath = join(directory, "bridge.db");
  const store = await createSqliteStore({ path: storePath });

  let time = Date.parse("2026-03-01T12:00:00Z");
  const clock: ManualClock = {
    now: () => new Date(time),
    // The tests drive the poller with pollOnce; its own schedule is never started here.
    setTimeout: () => undefined,
    clearTimeout: () => undefined,
    advance: (ms) => {
      time += ms;
    },
  };

  const credentials = readGitHubCredentials({
    APP_ID: "4242",
    PRIVATE_KEY: APP_PRIVATE_KEY,
    GITHUB_API_URL: github.url,
  });
  if (credentials === undefined) throw new Error("test credentials were not read");
  const octokitFactory = createOctokitFactory({
    credentials,
    log: logger,
    onCredentialsOutcome: options.onCredentialsOutcome,
    now: options.githubNow,
  });
  // Spacing between writes is the throttle's own subject (issue 4); here it would only slow tests.
  const throttle = createWriteThrottle({
    limits: { msBetweenWrites: 0, msBetweenContentWrites: 0 },
  });
  const builds = createSpaceBuildRegistry(store);
  const hubRead = { hubUrl: hub.url, fetch, accessToken: HF_TOKEN };
  const executor = createTrustGateExecutor({
    hub: createHubClient({ baseUrl: hub.url, token: HF_TOKEN }),
    members: hubRead,
    octokitFactory,
    inner: createPathFilterExecutor({
      inner: createCommitMatchingExecutor({
        inner: createGitHubExecutor({ octokitFactory, throttle, markerKey: MARKER_KEY }),
        octokitFactory,
        hub: { hubUrl: hub.url, fetch, accessToken: HF_TOKEN },
        builds,
        now: clock.now,
      }),
      hub: { hubUrl: hub.url, fetch, accessToken: HF_TOKEN },
    }),
  });
  const worker = createWorker({
    store,
    config,
    executor,
    logger,
    workerId: "checks-test",
    leaseMs: 60_000,
    maxAttempts: 3,
    backoff: { baseMs: 10, capMs: 50 },
    pollIntervalMs: 20,
    // One at a time, so two quick pushes are handled in the order they arrived.
    concurrency: 1,
  });
  worker.start();
  const server = await createBridgeServer({
    store,
    config,
    secrets: [WEBHOOK_SECRET],
    logger,
    mode: "github",
    port: 0,
    onQueued: () => worker.wake(),
  });
  const poller = createSpaceRuntimePoller({
    store,
    builds,
    fetch,
    hubUrl: hub.url,
    accessToken: HF_TOKEN,
    clock,
    logger,
    onEvents: () => worker.wake(),
  });

  async function settle(): Promise<DeliverySummary[]> {
    let deliveries: DeliverySummary[] = [];
    await vi.waitFor(
      async () => {
        deliveries = await store.listDeliveries({ limit: 1000 });
        const busy = deliveries.filter(
          (delivery) => delivery.jobState === "queued" || delivery.jobState === "running",
        );
        if (busy.length > 0) throw new Error(`${busy.length} jobs still running`);
      },
      { timeout: JOBS_SETTLE_TIMEOUT_MS, interval: 20 },
    );
    return deliveries.reverse();
  }

  return {
    github,
    hub,
    runtimes,
    streams,
    hubCommits,
    hubTrees,
    store,
    octokitFactory,
    credentials,
    storePath,
    server,
    worker,
    poller,
    clock,
    async sendHub(body) {
      const response = await fetch(`${server.url}/webhooks/huggingface`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-webhook-secret": WEBHOOK_SECRET },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      await response.arrayBuffer();
      return response.status;
    },
    settle,
    async pollAndSettle() {
      await poller.pollOnce({ force: true });
      await settle();
    },
    checkRuns: () => [...github.state.checkRuns.values()].sort((a, b) => a.id - b.id),
    runtimeRequests: () =>
      hub.requests.filter((request) => request.path.endsWith("/runtime")).length,
    async close() {
      await poller.stop();
      await server.close();
      await worker.stop(1_000);
      await store.close();
      await hub.close();
      await github.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
