import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { vi } from "vitest";
import type { Effect } from "../../../src/effects/effect.ts";
import { createGitHubExecutor } from "../../../src/github/create-github-executor.ts";
import {
  createOctokitFactory,
  type OctokitFactory,
} from "../../../src/github/create-octokit-factory.ts";
import {
  type GitHubCredentials,
  readGitHubCredentials,
} from "../../../src/github/read-github-credentials.ts";
import { createWriteThrottle, type WriteThrottle } from "../../../src/github/write-throttle.ts";
import type { ExecutedEffect, Executor } from "../../../src/jobs/executor.ts";
import { createSqliteStore } from "../../../src/store/sqlite/create-sqlite-store.ts";
import type { Job, Store } from "../../../src/store/store.ts";
import { fixtureDelivery } from "../../store/fixture-delivery.ts";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github/start-fake-github.ts";
import type { FakeGitHubOptions } from "../../support/fake-github/types.ts";

/**
 * The harness tests what runs on the store, not how fast the store answers (the store's own tests do):
 * a loaded CI machine has taken longer than the production 1.5 s for a first call.
 */
const STORE_WAIT_MS = 10_000;

export const MARKER_KEY = "test-marker-key-for-executor-tests";
export const HEAD_SHA = "a".repeat(40);
/** Wake-up times of throttle sleeps in progress: the only waits fake time has to be moved for. */
const pendingWakes = new Set<number>();

/** One private key per test run: generating RSA keys is slow, and the fake only checks JWT shape. */
const APP_PRIVATE_KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

export const TEST_TOKEN = "ghp_testtokenfortheexecutortests000000";
export const TEST_TOKEN_LOGIN = "octo-user";

/** The environment of a bridge running as the fake's GitHub App. */
export function appEnv(githubUrl: string): Record<string, string> {
  return { APP_ID: "4242", PRIVATE_KEY: APP_PRIVATE_KEY, GITHUB_API_URL: githubUrl };
}

/** The environment of a bridge running with the fake's personal token. */
export function tokenEnv(githubUrl: string): Record<string, string> {
  return { GITHUB_TOKEN: TEST_TOKEN, GITHUB_API_URL: githubUrl };
}

export interface ExecutorHarness {
  github: FakeGitHub;
  store: Store;
  factory: OctokitFactory;
  credentials: GitHubCredentials;
  throttle: WriteThrottle;
  executor: Executor;
  job: Job;
  /**
   * Executes like the worker (execute, then record the result and its links in one transaction)
   * while fake time moves on.
   */
  run(effect: Effect, job?: Job): Promise<ExecutedEffect>;
  /** The same for many effects at once, as concurrent workers would run them. */
  runAll(effects: Effect[]): Promise<Array<PromiseSettledResult<ExecutedEffect>>>;
  /** Lets fake time pass, as a job sitting in the queue would. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Fake timers (Date and setTimeout) start at 2026-01-01; the fake GitHub, the store and the throttle
 * all read the same fake clock. Fake time stands still during real I/O and jumps only to the end of a
 * throttle sleep (see `settle`), so request times in the fake's log are exact.
 */
export async function startExecutorHarness(
  options: { auth?: "app" | "token"; github?: FakeGitHubOptions } = {},
): Promise<ExecutorHarness> {
  vi.useFakeTimers({
    now: new Date("2026-01-01T00:00:00Z"),
    toFake: ["Date", "setTimeout", "clearTimeout"],
  });
  const github = await startFakeGitHub({
    repos: [{ owner: "acme", name: "app", commits: [HEAD_SHA], workflows: ["hf-sync.yml"] }],
    personalTokens: [{ token: TEST_TOKEN, login: TEST_TOKEN_LOGIN }],
    ...options.github,
  });
  const directory = mkdtempSync(join(tmpdir(), "executor-test-"));
  const store = await createSqliteStore({
    path: join(directory, "bridge.db"),
    answerWithinMs: STORE_WAIT_MS,
  });
  const credentials = readGitHubCredentials(
    options.auth === "token" ? tokenEnv(github.url) : appEnv(github.url),
  );
  if (credentials === undefined) throw new Error("test credentials were not read");
  const log = pino({ level: "silent" });
  const factory = createOctokitFactory({ credentials, log });
  const throttle = createWriteThrottle({
    now: () => Date.now(),
    sleep: (ms) => {
      const wake = Date.now() + ms;
      pendingWakes.add(wake);
      return new Promise((resolve) =>
        setTimeout(() => {
          pendingWakes.delete(wake);
          resolve();
        }, ms),
      );
    },
  });
  const executor = createGitHubExecutor({
    octokitFactory: factory,
    throttle,
    markerKey: MARKER_KEY,
  });

  await store.recordDelivery(fixtureDelivery("composed-discussion-create-plain-discussion.json"));
  const job = await store.claimJob({ workerId: "test", leaseMs: 24 * 3_600_000 });
  if (job === undefined) throw new Error("no job to claim");

  async function executeAndRecord(effect: Effect, runJob: Job): Promise<ExecutedEffect> {
    const executed = await executor.execute(effect, {
      job: runJob,
      store,
      log,
      signal: new AbortController().signal,
    });
    const { links, resolvedIntents, ...result } = executed;
    await store.recordEffect(runJob, effect.idempotencyKey, result, links, resolvedIntents);
    return executed;
  }

  return {
    github,
    store,
    factory,
    credentials,
    throttle,
    executor,
    job,
    run: (effect, runJob = job) => settle(executeAndRecord(effect, runJob)),
    runAll: (effects) =>
      settle(Promise.allSettled(effects.map((effect) => executeAndRecord(effect, job)))),
    async advance(ms) {
      await vi.advanceTimersByTimeAsync(ms);
    },
    async close() {
      pendingWakes.clear();
      vi.useRealTimers();
      await store.close();
      await github.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Waits for a promise doing real I/O; whenever the throttle sleeps, moves fake time to its wake-up.
 * A wait on any other fake timer is not advanced, so an unexpected one fails the test by timeout.
 */
export async function settle<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    const wake = Math.min(...pendingWakes);
    if (!done && Number.isFinite(wake)) {
      await vi.advanceTimersByTimeAsync(Math.max(0, wake - Date.now()));
    }
  }
  return promise;
}

export function repoRef() {
  return { owner: "acme", repo: "app" };
}
