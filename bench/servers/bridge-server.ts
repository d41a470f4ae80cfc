import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import { serveBenchBridge } from "./serve-bench-bridge.ts";

// The durable receiver: the bridge's route over the SQLite store, every 202 on disk.
const [databasePath] = process.argv.slice(2);
if (!databasePath) throw new Error("usage: bridge-server.ts <sqlite file>");
await serveBenchBridge(await createSqliteStore({ path: databasePath }));
