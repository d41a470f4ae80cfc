import type { RecordDeliveryResult, Store } from "../../src/store/store.ts";
import { serveBenchBridge } from "./serve-bench-bridge.ts";

// The bridge's route exactly as bridge-server.ts runs it, but with a store that answers at once and
// keeps nothing: not durable, so never a candidate, only a measure of what the route itself costs.
let lastId = 0;
const recordDelivery = async (): Promise<RecordDeliveryResult> => {
  lastId++;
  return { status: "accepted", deliveryId: lastId, jobId: lastId };
};
const close = async (): Promise<void> => {};
await serveBenchBridge({ recordDelivery, close } as unknown as Store);
