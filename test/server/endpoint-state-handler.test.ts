import { afterEach, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.ts";
import { fakeEndpointJson } from "../support/fake-endpoints-api/fake-endpoint-json.ts";
import { postWebhook } from "./support/post-webhook.ts";
import { sendRequest } from "./support/send-request.ts";
import { startTestBridge, type TestBridge } from "./support/start-test-bridge.ts";

const CONFIG = configSchema.parse({
  endpoints: [{ namespace: "acme", names: ["llm-*"], github: "acme/widgets" }],
});

describe("POST /webhooks/endpoints", () => {
  let bridge: TestBridge;
  afterEach(async () => bridge.close());

  async function start(onQueued?: () => void) {
    bridge = await startTestBridge({ config: CONFIG, ...(onQueued ? { onQueued } : {}) });
    return `${bridge.url}/webhooks/endpoints?namespace=acme`;
  }

  const failed = JSON.stringify(
    fakeEndpointJson({ name: "llm-prod", state: "failed", updatedAt: "2026-11-01T10:00:00.000Z" }),
  );

  it("answers 401 to a wrong secret and stores nothing", async () => {
    const url = await start();
    const response = await postWebhook(url, failed, { secret: "not-the-secret" });
    expect(response.status).toBe(401);
    expect(await bridge.store.listDeliveries({ limit: 10 })).toEqual([]);
  });

  it("queues a state change once, wakes the worker, and answers a replay 200", async () => {
    let wakes = 0;
    const url = await start(() => {
      wakes += 1;
    });
    const first = await postWebhook(url, failed);
    expect(first.status).toBe(202);
    expect(first.json).toMatchObject({ status: "queued" });
    const again = await postWebhook(url, failed);
    expect(again.status).toBe(200);
    expect(wakes).toBe(1);

    const job = await bridge.store.claimJob({ workerId: "test", leaseMs: 60_000 });
    expect(job?.event).toMatchObject({
      kind: "endpoint.state-changed",
      endpoint: { namespace: "acme", name: "llm-prod", state: "failed" },
    });
    const [delivery] = await bridge.store.listDeliveries({ limit: 1 });
    expect(delivery?.source).toBe("endpoint-post");
  });

  it("refuses a body that is not an endpoint with the reason, and acknowledges an unwatched one", async () => {
    const url = await start();
    const refused = await postWebhook(url, JSON.stringify({ hello: "world" }));
    expect(refused.status).toBe(400);
    expect(refused.json?.reason).toBeTruthy();

    const unwatched = JSON.stringify(
      fakeEndpointJson({ name: "other", state: "running", updatedAt: "2026-11-01T10:00:00.000Z" }),
    );
    const ignored = await postWebhook(url, unwatched);
    expect(ignored.status).toBe(202);
    expect(ignored.json).toMatchObject({ status: "ignored" });
  });

  it("answers 405 with Allow to a GET", async () => {
    const url = await start();
    const response = await sendRequest(url, { method: "GET" });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("POST");
  });
});
