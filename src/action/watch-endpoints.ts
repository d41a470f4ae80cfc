import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import type { BridgeConfig } from "../config/config-schema.ts";
import { createGitHubExecutor } from "../github/create-github-executor.ts";
import { createOctokitFactory } from "../github/create-octokit-factory.ts";
import { createWriteThrottle } from "../github/write-throttle.ts";
import { createEndpointPoller } from "../pollers/endpoints/create-endpoint-poller.ts";
import { createSqliteStore } from "../store/sqlite/create-sqlite-store.ts";
import type { WriteLimits } from "../store/write-schedule.ts";
import { listWatchedSpaces } from "./list-watched-spaces.ts";
import { type JobReport, runQueuedJobs } from "./run-queued-jobs.ts";
import { seedStoreFromCards } from "./seed-store-from-cards.ts";
import { type SpaceWatchResult, watchSpaces } from "./watch-spaces.ts";

interface WatchOptions {
  config: BridgeConfig;
  githubToken: string;
  githubApiUrl: string;
  hfToken: string;
  endpointsApiUrl: string;
  /** Where Space runtimes are read. */
  hubUrl: string;
  markerKey: string;
  /** Where the run's throwaway store lives (`RUNNER_TEMP`); it is deleted at the end. */
  tempDir: string;
  log: Logger;
  fetch?: typeof fetch;
  /** GitHub's write spacing; tests shorten it, runs keep the defaults. */
  writeLimits?: Partial<WriteLimits>;
}

interface WatchResult {
  cards: number;
  jobs: JobReport[];
  pollErrors: string[];
  spaces: SpaceWatchResult;
}

/**
 * One `watch` run: rebuild the last known endpoint states from the card issues into a throwaway
 * store, poll every namespace once, and plan and execute what changed exactly as the server does;
 * then read each watched Space's runtime once against its card. With nothing changed, it writes
 * nothing.
 */
export async function watchEndpoints(options: WatchOptions): Promise<WatchResult> {
  const { config, log } = options;
  const directory = await mkdtemp(join(options.tempDir, "hf-bridge-watch-"));
  // One short run: fsyncs on the main thread cost nothing here, and the bundle ships no worker file.
  const store = await createSqliteStore({
    path: join(directory, "watch.db"),
    writerThread: "main",
  });
  try {
    const factory = createOctokitFactory({
      credentials: { kind: "token", token: options.githubToken, baseUrl: options.githubApiUrl },
      log,
    });
    const seeded = await seedStoreFromCards({
      store,
      watches: config.endpoints,
      clientFor: (repo) => factory.forRepo(repo),
      markerKey: options.markerKey,
    });
    const poller = createEndpointPoller({
      store,
      config,
      fetch: options.fetch ?? fetch,
      baseUrl: options.endpointsApiUrl,
      token: options.hfToken,
      addressSetting: "the endpoints-api-url input",
      logger: log,
    });
    const polls = await poller.pollOnce();
    const throttle = createWriteThrottle(
      options.writeLimits ? { limits: options.writeLimits } : {},
    );
    const executor = createGitHubExecutor({
      octokitFactory: factory,
      throttle,
      markerKey: options.markerKey,
    });
    const jobs = await runQueuedJobs({
      store,
      config,
      executor,
      clientFor: (repo) => factory.forRepo(repo),
      throttle,
      markerKey: options.markerKey,
      log,
      hubUrl: options.hubUrl,
    });
    const spaces = await watchSpaces({
      spaces: listWatchedSpaces(config.routes),
      clientFor: (repo) => factory.forRepo(repo),
      throttle,
      markerKey: options.markerKey,
      fetch: options.fetch ?? fetch,
      hubUrl: options.hubUrl,
      hfToken: options.hfToken,
    });
    return {
      cards: seeded.cards,
      jobs,
      pollErrors: polls.flatMap((poll) => (poll.error ? [poll.error] : [])),
      spaces,
    };
  } finally {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  }
}
