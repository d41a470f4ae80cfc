import { configSchema } from "../../src/config/config-schema.ts";
import { createBridgeServer } from "../../src/server/create-bridge-server.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import { createLogger } from "../../src/util/create-logger.ts";

// The durable receiver as `hf-bridge serve` runs it, minus the worker (this measures ingest alone)
// and with per-request logs at warn (the bare baseline logs nothing either).
const [databasePath] = process.argv.slice(2);
if (!databasePath) throw new Error("usage: bridge-server.ts <sqlite file>");
const store = await createSqliteStore({ path: databasePath });
const bridge = await createBridgeServer({
  store,
  config: configSchema.parse({ routes: [{ hub: "**", github: "acme/app", discussions: true }] }),
  secrets: ["bench-secret"],
  logger: createLogger({ level: "warn" }),
  mode: "dry-run",
  port: 0,
});
process.stdout.write(`${new URL(bridge.url).port}\n`);
process.once("SIGTERM", async () => {
  await bridge.close();
  await store.close();
  process.exit(0);
});
