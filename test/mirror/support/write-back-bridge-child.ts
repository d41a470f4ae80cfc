// Started by start-write-back-bridge.ts as a separate process: the bridge's composition root
// (startBridgeApp, as `hf-bridge serve` runs it) over the SQLite file and config given as arguments,
// configured from its environment like serve, with short worker and Hub timings so retries happen in
// seconds. Logs go to stdout at debug level, where the test reads them.
import { readBridgeEnvironment } from "../../../src/app/read-bridge-environment.ts";
import { startBridgeApp } from "../../../src/app/start-bridge-app.ts";
import { configSchema } from "../../../src/config/config-schema.ts";
import { createSqliteStore } from "../../../src/store/sqlite/create-sqlite-store.ts";
import { createLogger } from "../../../src/util/create-logger.ts";

const [dbPath, configJson, landingWindowMs] = process.argv.slice(2);
if (!dbPath || !configJson || !landingWindowMs) {
  throw new Error(
    "usage: write-back-bridge-child.ts <sqlite path> <config JSON> <landing window ms>",
  );
}

const store = await createSqliteStore({ path: dbPath });
const app = await startBridgeApp({
  config: configSchema.parse(JSON.parse(configJson)),
  store,
  environment: readBridgeEnvironment(process.env),
  logger: createLogger({ level: "debug" }),
  port: 0,
  host: "127.0.0.1",
  worker: { backoff: { baseMs: 100, capMs: 400 }, pollIntervalMs: 100, maxAttempts: 10 },
  hubLandingWindowMs: Number(landingWindowMs),
});
process.once("SIGTERM", () => {
  void app.close(1_000).then(() => store.close());
});
