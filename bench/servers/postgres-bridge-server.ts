import { createPostgresStore } from "../../src/store/postgres/create-postgres-store.ts";
import { serveBenchBridge } from "./serve-bench-bridge.ts";

// The durable receiver over PostgreSQL (the store for several replicas), every 202 committed.
const [connectionString, schema] = process.argv.slice(2);
if (!connectionString || !schema) {
  throw new Error("usage: postgres-bridge-server.ts <postgres url> <schema>");
}
await serveBenchBridge(await createPostgresStore({ connectionString, schema }));
