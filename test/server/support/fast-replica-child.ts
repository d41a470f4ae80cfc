// Started by replicas-share-github-limits.test.ts, three at a time on one PostgreSQL schema: the
// serve command's composition root (startBridgeApp, createStore, readBridgeEnvironment) with its
// clock running `scale` times faster than the wall clock from a shared `epoch`, so every replica and
// the fake GitHub agree on the time, and GitHub's real write limits (1 s, 3 s, 80 a minute) pass in
// a test's seconds. Argument: JSON { storeUrl, config, epoch, scale, leaseMs }. Announces { url } as
// one JSON line on stdout; warnings and errors go to stderr.
import { setTimeout as sleep } from "node:timers/promises";
import { readBridgeEnvironment } from "../../../src/app/read-bridge-environment.ts";
import { startBridgeApp } from "../../../src/app/start-bridge-app.ts";
import { configSchema } from "../../../src/config/config-schema.ts";
import { createStore } from "../../../src/store/create-store.ts";
import { createLogger } from "../../../src/util/create-logger.ts";

interface ChildArguments {
  storeUrl: string;
  config: unknown;
  epoch: number;
  scale: number;
  leaseMs: number;
}

const [argument] = process.argv.slice(2);
if (!argument) throw new Error('usage: fast-replica-child.ts \'{"storeUrl":…,"epoch":…}\'');
const { storeUrl, config, epoch, scale, leaseMs } = JSON.parse(argument) as ChildArguments;

const clock = {
  now: () => epoch + (Date.now() - epoch) * scale,
  sleep: (ms: number) => sleep(ms / scale).then(() => undefined),
};
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
  clock,
  // Leases on the fast clock, so a SIGKILLed replica's jobs are taken over in a second or two; the
  // queue poll is real time.
  worker: { leaseMs, pollIntervalMs: 20, concurrency: 4 },
});
process.stdout.write(`${JSON.stringify({ url: app.server.url })}\n`);
