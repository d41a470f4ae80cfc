// Started by durability.test.ts as a separate process: a bridge server over the SQLite file given as the
// first argument, on a free loopback port, announced as one JSON line on stdout.
import { configSchema } from "../../src/config/config-schema.ts";
import { createBridgeServer } from "../../src/server/create-bridge-server.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import { createLogger } from "../../src/util/create-logger.ts";

const [dbPath, secret] = process.argv.slice(2);
if (!dbPath || !secret)
  throw new Error("usage: serve-bridge-child.ts <sqlite path> <webhook secret>");

const store = await createSqliteStore({ path: dbPath });
const bridge = await createBridgeServer({
  store,
  config: configSchema.parse({ routes: [{ hub: "some-user/*", github: "acme/widgets" }] }),
  secrets: [secret],
  logger: createLogger({ level: "silent" }),
  mode: "dry-run",
  port: 0,
});
process.stdout.write(`${JSON.stringify({ url: bridge.url })}\n`);
