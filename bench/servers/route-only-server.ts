import { configSchema } from "../../src/config/config-schema.ts";
import { createBridgeServer } from "../../src/server/create-bridge-server.ts";
import type { RecordDeliveryResult, Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/util/create-logger.ts";

// The bridge's route exactly as bridge-server.ts runs it, but with a store that answers at once and
// keeps nothing: not durable, so never a candidate, only a measure of what the route itself costs.
let lastId = 0;
const recordDelivery = async (): Promise<RecordDeliveryResult> => {
  lastId++;
  return { status: "accepted", deliveryId: lastId, jobId: lastId };
};
const bridge = await createBridgeServer({
  store: { recordDelivery } as unknown as Store,
  config: configSchema.parse({ routes: [{ hub: "**", github: "acme/app", discussions: true }] }),
  secrets: ["bench-secret"],
  logger: createLogger({ level: "warn" }),
  mode: "dry-run",
  port: 0,
});
process.stdout.write(`${new URL(bridge.url).port}\n`);
process.once("SIGTERM", async () => {
  await bridge.close();
  process.exit(0);
});
