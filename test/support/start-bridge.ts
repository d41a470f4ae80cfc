import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BridgeConfig, configSchema } from "../../src/config/config-schema.ts";
import { createGitHubExecutor } from "../../src/github/create-github-executor.ts";
import { createOctokitFactory } from "../../src/github/create-octokit-factory.ts";
import { readGitHubCredentials } from "../../src/github/read-github-credentials.ts";
import { createWriteThrottle } from "../../src/github/write-throttle.ts";
import { createAuthorResolver } from "../../src/hub/create-author-resolver.ts";
import { createHubClient, type HubClient } from "../../src/hub/create-hub-client.ts";
import { createMirrorExecutor } from "../../src/mirror/create-mirror-executor.ts";
import { createRepoVisibility } from "../../src/mirror/create-repo-visibility.ts";
import { createWriteBackExecutor } from "../../src/mirror/create-write-back-executor.ts";
import {
  type BridgeServerOptions,
  createBridgeServer,
} from "../../src/server/create-bridge-server.ts";
import { GITHUB_WEBHOOKS_PATH } from "../../src/server/create-github-webhook-handler.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import { createWorker } from "../../src/worker/create-worker.ts";
import { type FakeGitHub, startFakeGitHub } from "./fake-github/start-fake-github.ts";
import type { FakeRepoSeed } from "./fake-github/types.ts";
import { type FakeHub, startFakeHub } from "./fake-hub/start-fake-hub.ts";
import type { FakeHubUser } from "./fake-hub/types.ts";
import { HF_FIXTURES } from "./paths.ts";

export const BRIDGE_HUB_SECRET = "start-bridge-hub-secret-5d1c";
export const BRIDGE_GITHUB_WEBHOOK_SECRET = "start-bridge-github-webhook-secret-a7e2";
export const BRIDGE_MARKER_KEY = "start-bridge-marker-key-0b93";
export const BRIDGE_HF_TOKEN = "hf_startbridgetokenforthefakehub";
/** The Hub account HF_TOKEN belongs to: its comments are the bridge's own. */
export const BRIDGE_HUB_ACCOUNT: FakeHubUser = {
  id: "64bridge0000000000000000",
  name: "hf-bridge-bot",
};
const HUB_WEBHOOK_PATH = "/webhooks/huggingface";
/** Gives up on drain() after this long: a job still open by then is stuck, and the test says so. */
const DRAIN_LIMIT_MS = 30_000;
const DRAIN_POLL_MS = 10;

/** One App key per test process: RSA generation is slow, and the fake only checks the JWT's shape. */
let appPrivateKey: string | undefined;

export interface StartBridgeOptions {
  /** Raw config (parsed with the schema); default: `some-user/*` and `*gpt2` into public acme/widgets. */
  config?: unknown;
  /** GitHub repos of the fake; default acme/widgets (public) with a writer and a reader. */
  githubRepos?: FakeRepoSeed[];
  /** Start a fake Hub (discussion API, HF_TOKEN of BRIDGE_HUB_ACCOUNT) and wire write-back to it. */
  hub?: boolean;
  /** Sign in with Hugging Face for the operator console (see BridgeServerOptions.consoleAccess). */
  consoleAccess?: BridgeServerOptions["consoleAccess"];
}

export interface PostResult {
  status: number;
  body: Record<string, unknown>;
}

export interface StartedBridge {
  url: string;
  config: BridgeConfig;
  /**
   * POSTs a Hub webhook: a fixture file name from test/fixtures/hf, or a payload object; `headers`
   * adds to the secret (e.g. a `webhook-id`, as the Hub sends).
   */
  post(fixtureOrBody: string | object, headers?: Record<string, string>): Promise<PostResult>;
  /**
   * POSTs a signed GitHub webhook to /api/github/webhooks (needs `hub: true`); a fresh
   * X-GitHub-Delivery each time unless `deliveryId` is given (a redelivery).
   */
  postGitHub(event: string, payload: object, deliveryId?: string): Promise<PostResult>;
  /** Resolves once every queued delivery's job is done or dead. */
  drain(): Promise<void>;
  github: FakeGitHub;
  hub: FakeHub | undefined;
  /** A Hub client with the bridge's token, pointed at the fake Hub (needs `hub: true`). */
  hubClient: HubClient | undefined;
  store: Store;
  /** Every log line, as raw JSON text. */
  logs: string[];
  close(): Promise<void>;
}

export const DEFAULT_BRIDGE_CONFIG = {
  routes: [
    { hub: "some-user/*", github: "acme/widgets", discussions: true },
    { hub: "gpt2", github: "acme/widgets", discussions: true },
    { hub: "openai-community/*", github: "acme/widgets", discussions: true },
    { hub: "Wauplin/*", github: "acme/widgets", discussions: true },
    { hub: "allenai/*", github: "acme/widgets", discussions: true },
  ],
};

/**
 * A real bridge on loopback: the HTTP server, a SQLite store in a temp dir, the worker, and the GitHub
 * executor (behind the mirror executor) writing to an OpenAPI-validating fake GitHub through App
 * credentials. The throttle's spacing is set to zero: its timing has its own fake-clock tests, and
 * these tests assert state, not time.
 */
export async function startBridge(options: StartBridgeOptions = {}): Promise<StartedBridge> {
  const config = configSchema.parse(options.config ?? DEFAULT_BRIDGE_CONFIG);
  const github = await startFakeGitHub({
    repos: options.githubRepos ?? [
      {
        owner: "acme",
        name: "widgets",
        collaborators: { "widget-maintainer": "write", "widget-reader": "read" },
      },
    ],
  });
  const hub = options.hub
    ? await startFakeHub({ tokens: { [BRIDGE_HF_TOKEN]: BRIDGE_HUB_ACCOUNT } })
    : undefined;
  const dir = mkdtempSync(join(tmpdir(), "start-bridge-"));
  const store = await createSqliteStore({ path: join(dir, "bridge.db") });
  const logs: string[] = [];
  const logger = createLogger({
    level: "debug",
    destination: { write: (line: string) => logs.push(line) },
  });

  appPrivateKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  const credentials = readGitHubCredentials({
    APP_ID: "4242",
    PRIVATE_KEY: appPrivateKey,
    WEBHOOK_SECRET: BRIDGE_GITHUB_WEBHOOK_SECRET,
    GITHUB_API_URL: github.url,
  });
  if (credentials === undefined) throw new Error("start-bridge: App credentials were not read");
  const octokitFactory = createOctokitFactory({ credentials, log: logger });
  const throttle = createWriteThrottle({
    limits: { msBetweenWrites: 0, msBetweenContentWrites: 0 },
  });
  const hubClient = hub ? createHubClient({ baseUrl: hub.url, token: BRIDGE_HF_TOKEN }) : undefined;
  const executor = createWriteBackExecutor({
    inner: createMirrorExecutor({
      inner: createGitHubExecutor({ octokitFactory, throttle, markerKey: BRIDGE_MARKER_KEY }),
      config,
      visibility: createRepoVisibility({ octokitFactory }),
      ...(hub ? { hubAccountId: BRIDGE_HUB_ACCOUNT.id } : {}),
      ...(hubClient ? { hub: hubClient } : {}),
    }),
    config,
    octokitFactory,
    hub: hubClient,
    ...(hub ? { hubAccountId: BRIDGE_HUB_ACCOUNT.id } : {}),
  });

  const server = await createBridgeServer({
    store,
    config,
    secrets: [BRIDGE_HUB_SECRET],
    logger,
    mode: "github",
    port: 0,
    host: "127.0.0.1",
    ...(options.consoleAccess ? { consoleAccess: options.consoleAccess } : {}),
    ...(hubClient
      ? {
          githubWebhooks: {
            secret: BRIDGE_GITHUB_WEBHOOK_SECRET,
            markerKey: async () => BRIDGE_MARKER_KEY,
          },
        }
      : {}),
  });
  const worker = createWorker({
    store,
    config,
    executor,
    logger,
    workerId: "start-bridge",
    leaseMs: 60_000,
    maxAttempts: 4,
    backoff: { baseMs: 5, capMs: 50 },
    pollIntervalMs: 20,
    concurrency: 4,
    ...(hubClient
      ? { prepareEvent: createAuthorResolver({ hub: hubClient, users: config.users }).resolve }
      : {}),
  });
  worker.start();

  async function send(path: string, headers: Record<string, string>, body: string) {
    const response = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    const text = await response.text();
    worker.wake();
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  }

  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    config,
    post(fixtureOrBody, headers = {}) {
      const body =
        typeof fixtureOrBody === "string"
          ? readFileSync(join(HF_FIXTURES, fixtureOrBody), "utf8")
          : JSON.stringify(fixtureOrBody);
      return send(HUB_WEBHOOK_PATH, { ...headers, "x-webhook-secret": BRIDGE_HUB_SECRET }, body);
    },
    postGitHub(event, payload, deliveryId) {
      const body = JSON.stringify(payload);
      const signature = createHmac("sha256", BRIDGE_GITHUB_WEBHOOK_SECRET)
        .update(body)
        .digest("hex");
      return send(
        GITHUB_WEBHOOKS_PATH,
        {
          "x-github-event": event,
          "x-github-delivery": deliveryId ?? randomUUID(),
          "x-hub-signature-256": `sha256=${signature}`,
        },
        body,
      );
    },
    async drain() {
      const giveUpAt = Date.now() + DRAIN_LIMIT_MS;
      for (;;) {
        const open = (await store.listDeliveries({ limit: 1000 })).filter(
          (delivery) =>
            delivery.jobId !== undefined &&
            delivery.jobState !== "done" &&
            delivery.jobState !== "dead",
        );
        if (open.length === 0) return;
        if (Date.now() > giveUpAt) {
          const stuck = open.map(
            (d) => `${d.id} ${d.eventKind} ${d.jobState} ${d.lastError ?? ""}`,
          );
          throw new Error(`start-bridge drain: jobs still open:\n${stuck.join("\n")}`);
        }
        worker.wake();
        await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      }
    },
    github,
    hub,
    hubClient,
    store,
    logs,
    close() {
      closing ??= (async () => {
        await server.close();
        await worker.stop(1_000);
        await store.close();
        await github.close();
        await hub?.close();
        rmSync(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
