// Started by the chaos test as a separate process, to be SIGKILLed at random moments: the bridge as
// `hf-bridge serve` composes it (startBridgeApp, createStore, readBridgeEnvironment), with GitHub
// credentials from the environment, and only its timings shortened so a run fits in the suite.
// Argument: JSON { storeUrl, config, tuning }. Announces { url } as one JSON line on stdout; logs
// (warnings and errors) go to stderr.

import type { GitHubTuning } from "../../src/app/create-github-executor-chain.ts";
import { readBridgeEnvironment } from "../../src/app/read-bridge-environment.ts";
import { startBridgeApp } from "../../src/app/start-bridge-app.ts";
import { configSchema } from "../../src/config/config-schema.ts";
import { createStore } from "../../src/store/create-store.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import type { WorkerOptions } from "../../src/worker/create-worker.ts";

/** As `serve` gives running jobs at SIGTERM; only the end of a run uses it. */
const SHUTDOWN_GRACE_MS = 8_000;

interface ChildArguments {
  storeUrl: string;
  config: unknown;
  tuning: {
    worker: Pick<
      WorkerOptions,
      "leaseMs" | "maxAttempts" | "backoff" | "pollIntervalMs" | "concurrency"
    >;
    github: GitHubTuning;
  };
}

const [argument] = process.argv.slice(2);
if (!argument)
  throw new Error('usage: chaos-bridge-child.ts \'{"storeUrl":…,"config":…,"tuning":…}\'');
const { storeUrl, config, tuning } = JSON.parse(argument) as ChildArguments;

const store = await createStore(storeUrl);
const app = await startBridgeApp({
  config: configSchema.parse(config),
  store,
  environment: readBridgeEnvironment(process.env),
  logger: createLogger({
    level: "warn",
    destination: { write: (line: string) => process.stderr.write(line) },
  }),
  port: 0,
  host: "127.0.0.1",
  worker: tuning.worker,
  github: tuning.github,
});
process.stdout.write(`${JSON.stringify({ url: app.server.url, mode: app.mode })}\n`);

process.once("SIGTERM", () => {
  void (async () => {
    await app.close(SHUTDOWN_GRACE_MS);
    await store.close();
    process.exit(0);
  })();
});
