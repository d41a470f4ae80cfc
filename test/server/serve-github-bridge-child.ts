// Started by the fault tests as a separate process: the whole bridge app (server, worker, GitHub
// executor chain) over the SQLite file and with the tuning given as one JSON argument, writing to the
// GitHub named by GITHUB_API_URL with the App credentials in the environment. Announces its URL as
// one JSON line on stdout; SIGTERM shuts it down as `serve` does.
import { readBridgeEnvironment } from "../../src/app/read-bridge-environment.ts";
import { startBridgeApp } from "../../src/app/start-bridge-app.ts";
import { configSchema } from "../../src/config/config-schema.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import type { GitHubBridgeChildOptions } from "./support/start-github-bridge-child.ts";

const [argument] = process.argv.slice(2);
if (!argument) throw new Error("usage: serve-github-bridge-child.ts '<options as JSON>'");
const options = JSON.parse(argument) as GitHubBridgeChildOptions;

const store = await createSqliteStore({ path: options.dbPath });
const app = await startBridgeApp({
  config: configSchema.parse(options.config),
  store,
  environment: readBridgeEnvironment(process.env),
  logger: createLogger({ level: process.env.LOG_LEVEL ?? "silent" }),
  port: 0,
  host: "127.0.0.1",
  worker: options.worker,
  github: options.github,
});
process.stdout.write(`${JSON.stringify({ url: app.server.url })}\n`);

process.once("SIGTERM", () => {
  void (async () => {
    await app.close(options.graceMs);
    await store.close();
    process.stdout.write(`${JSON.stringify({ stopped: true })}\n`);
  })().finally(() => process.exit());
});
