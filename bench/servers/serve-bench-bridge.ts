import { configSchema } from "../../src/config/config-schema.ts";
import { createBridgeServer } from "../../src/server/create-bridge-server.ts";
import type { Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/util/create-logger.ts";

/**
 * The bridge's HTTP edge as `hf-bridge serve` runs it, minus the worker (the bench measures ingest
 * alone) and with per-request logs at warn (the bare baseline logs nothing either). Prints the port,
 * and closes the server, then the store, on SIGTERM.
 */
export async function serveBenchBridge(store: Store): Promise<void> {
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
}
