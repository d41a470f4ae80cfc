// Started by rate-limit-storm.test.ts as a separate process: the serve command's composition root
// (startBridgeApp) over the SQLite file given as the first argument, its clock running `scale` times
// faster than the wall clock for rate-limit pauses, throttle spacing, retries and leases, so a
// ten-minute storm passes in seconds. Environment as for `hf-bridge serve`; the config is the third
// argument as JSON. Announces its URL as one JSON line on stdout.
import { setTimeout as sleep } from "node:timers/promises";
import { readBridgeEnvironment } from "../../src/app/read-bridge-environment.ts";
import { startBridgeApp } from "../../src/app/start-bridge-app.ts";
import { configSchema } from "../../src/config/config-schema.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import { createLogger } from "../../src/util/create-logger.ts";

const [dbPath, scaleText, configJson] = process.argv.slice(2);
const scale = Number(scaleText);
if (!dbPath || !configJson || !(scale >= 1)) {
  throw new Error("usage: serve-on-fast-clock-child.ts <sqlite path> <scale >= 1> <config JSON>");
}

const startedAt = Date.now();
const clock = {
  now: () => startedAt + (Date.now() - startedAt) * scale,
  sleep: (ms: number) => sleep(ms / scale).then(() => undefined),
};
const store = await createSqliteStore({ path: dbPath });
const app = await startBridgeApp({
  config: configSchema.parse(JSON.parse(configJson)),
  store,
  environment: readBridgeEnvironment(process.env),
  logger: createLogger({ level: "warn", destination: process.stderr }),
  port: 0,
  host: "127.0.0.1",
  clock,
  // An hour of the fast clock: a job is never taken over while it runs; the poll is real time.
  worker: { leaseMs: 3_600_000, pollIntervalMs: 20 },
});
process.stdout.write(`${JSON.stringify({ url: app.server.url })}\n`);
