import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { type BridgeConfig, configSchema } from "../../../src/config/config-schema.ts";
import { createBridgeMetrics } from "../../../src/metrics/create-bridge-metrics.ts";
import {
  type BridgeServer,
  type BridgeServerOptions,
  createBridgeServer,
} from "../../../src/server/create-bridge-server.ts";
import { createSqliteStore } from "../../../src/store/sqlite/create-sqlite-store.ts";
import type { Store } from "../../../src/store/store.ts";
import { createLogger } from "../../../src/util/create-logger.ts";
import { readFixtureText } from "../../support/fixtures.ts";

export const TEST_SECRET = "hub-secret-for-tests-7f3a9c";
export const WEBHOOK_PATH = "/webhooks/huggingface";

/** Routes that cover the composed `some-user/*` fixtures but not `gpt2` or `openai-community/*`. */
export const TEST_CONFIG: BridgeConfig = configSchema.parse({
  routes: [{ hub: "some-user/*", github: "acme/widgets", discussions: true }],
});

/** A v3 discussion opened on `some-user/some-repo`, which TEST_CONFIG routes: queued. */
export const ROUTED_DISCUSSION = readFixtureText(
  "composed-discussion-create-plain-discussion.json",
);
/** A v3 discussion on `gpt2`, which TEST_CONFIG does not route: stored as ignored, no job. */
export const UNROUTED_DISCUSSION = readFixtureText("hfhub-discussion-create-pr.json");

export interface TestBridge {
  url: string;
  webhookUrl: string;
  /** The real SQLite store behind the server (undecorated even when the server got a wrapper). */
  store: Store;
  dir: string;
  dbPath: string;
  /** Every log line the server wrote, as raw JSON text. */
  logs: string[];
  server: BridgeServer;
  /** Closes the server, then the store, then removes the files; safe to call more than once. */
  close(): Promise<void>;
}

type Overrides = Partial<Omit<BridgeServerOptions, "store">> & {
  /** Wraps the real store before the server gets it (to make writes fail or wait). */
  wrapStore?: (store: Store) => Store;
  /** Serves /metrics to this bearer token, reading the queue from the store the server got. */
  metricsToken?: string;
};

/** A bridge server on a free loopback port over a fresh SQLite file, with its log captured. */
export async function startTestBridge(overrides: Overrides = {}): Promise<TestBridge> {
  const dir = mkdtempSync(join(tmpdir(), "bridge-server-"));
  const dbPath = join(dir, "bridge.db");
  const store = await createSqliteStore({ path: dbPath });
  const logs: string[] = [];
  const { wrapStore, metricsToken, ...options } = overrides;
  const served = wrapStore ? wrapStore(store) : store;
  const starting = createBridgeServer({
    store: served,
    config: TEST_CONFIG,
    secrets: [TEST_SECRET],
    logger: createLogger({ destination: { write: (line: string) => logs.push(line) } }),
    mode: "dry-run",
    port: 0,
    host: "127.0.0.1",
    ...(metricsToken
      ? { metrics: { collector: createBridgeMetrics({ store: served }), token: metricsToken } }
      : {}),
    ...options,
  });
  // A server that refuses to start must not leave its store (a thread) and files behind.
  const bridge = await starting.catch(async (error: unknown) => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  let closing: Promise<void> | undefined;
  return {
    url: bridge.url,
    webhookUrl: `${bridge.url}${options.path ?? WEBHOOK_PATH}`,
    store,
    dir,
    dbPath,
    logs,
    server: bridge,
    close() {
      closing ??= (async () => {
        await bridge.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/**
 * For a test file: a `startTestBridge` whose bridges are closed after each test. Call it once, at the
 * top of the file.
 */
export function useTestBridges(): (overrides?: Overrides) => Promise<TestBridge> {
  const started: TestBridge[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((bridge) => bridge.close()));
  });
  return async (overrides) => {
    const bridge = await startTestBridge(overrides);
    started.push(bridge);
    return bridge;
  };
}

/** A store whose every method behaves like the real one except those given. */
export function overrideStore(store: Store, overrides: Partial<Store>): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof Store];
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
