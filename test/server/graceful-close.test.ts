import { describe, expect, it } from "vitest";
import type { Store } from "../../src/store/store.ts";
import { postWebhook } from "./support/post-webhook.ts";
import { sendRequest } from "./support/send-request.ts";
import {
  overrideStore,
  ROUTED_DISCUSSION,
  UNROUTED_DISCUSSION,
  useTestBridges,
} from "./support/start-test-bridge.ts";

const startBridge = useTestBridges();

/** A real store whose deliveries wait until the test opens the gate, so one request stays in flight. */
function gatedStore() {
  let openGate = () => {};
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  let reportArrival = () => {};
  const arrived = new Promise<void>((resolve) => {
    reportArrival = resolve;
  });
  const wrap = (store: Store) =>
    overrideStore(store, {
      async recordDelivery(delivery) {
        reportArrival();
        await gate;
        return store.recordDelivery(delivery);
      },
    });
  return { wrap, arrived, openGate };
}

describe("close()", () => {
  it("answers new requests 503 with Retry-After, finishes the one in flight, then stops listening", async () => {
    const gated = gatedStore();
    const bridge = await startBridge({ wrapStore: gated.wrap });
    const { url, webhookUrl, store } = bridge;
    const inFlight = postWebhook(webhookUrl, ROUTED_DISCUSSION);
    await gated.arrived;

    let closed = false;
    const closing = bridge.server.close().then(() => {
      closed = true;
    });

    const refused = await postWebhook(webhookUrl, UNROUTED_DISCUSSION);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(refused.json?.reason).toContain("shutting down");
    const health = await sendRequest(`${url}/healthz`, { method: "GET" });
    expect(health.status).toBe(503);
    expect(closed).toBe(false);

    gated.openGate();
    const accepted = await inFlight;
    expect(accepted.status).toBe(202);
    await closing;
    await expect(sendRequest(`${url}/healthz`, { method: "GET" })).rejects.toThrow(/ECONNREFUSED/);
    const deliveries = await store.listDeliveries({ limit: 5 });
    expect(deliveries.map((delivery) => delivery.id)).toEqual([accepted.json?.deliveryId]);
  });

  it("is safe to call twice", async () => {
    const bridge = await startBridge();
    await Promise.all([bridge.server.close(), bridge.server.close()]);
    await expect(sendRequest(`${bridge.url}/healthz`, { method: "GET" })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
