import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NewDelivery } from "../../src/store/store.ts";
import { postWebhook } from "./support/post-webhook.ts";
import {
  overrideStore,
  ROUTED_DISCUSSION,
  TEST_SECRET,
  UNROUTED_DISCUSSION,
  useTestBridges,
} from "./support/start-test-bridge.ts";

const WRONG_SECRET = "guessed-secret-4b1d0e";

const startBridge = useTestBridges();

describe("secrets never leave the request", () => {
  it("keeps the secret out of logs, stored rows and response bodies, while logging each request", async () => {
    // What the edge hands the store, checked apart from the store's own header filter.
    const handed: NewDelivery[] = [];
    const bridge = await startBridge({
      wrapStore: (real) =>
        overrideStore(real, {
          recordDelivery: (delivery) => {
            handed.push(delivery);
            return real.recordDelivery(delivery);
          },
        }),
    });
    const { webhookUrl, store, logs, dir } = bridge;
    const responses = [
      await postWebhook(`${webhookUrl}?secret=${TEST_SECRET}`, ROUTED_DISCUSSION, { secret: null }),
      await postWebhook(`${webhookUrl}?secret=${TEST_SECRET}`, UNROUTED_DISCUSSION),
      await postWebhook(`${webhookUrl}?secret=${TEST_SECRET}`, '{"not":"a hub payload"}'),
      await postWebhook(`${webhookUrl}?secret=${TEST_SECRET}&x=1`, ROUTED_DISCUSSION, {
        secret: WRONG_SECRET,
      }),
      await postWebhook(`${webhookUrl}?secre%74=${WRONG_SECRET}`, ROUTED_DISCUSSION, {
        secret: null,
      }),
    ];
    expect(responses.map((response) => response.status)).toEqual([202, 202, 400, 401, 401]);
    const deliveries = await store.listDeliveries({ limit: 10 });
    expect(deliveries.map((delivery) => delivery.disposition).sort()).toEqual([
      "ignored",
      "queued",
      "rejected",
    ]);
    const job = await store.claimJob({ workerId: "hygiene", leaseMs: 60_000 });
    expect(job).toBeDefined();

    const requestLines = logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record.msg === "request");
    expect(requestLines).toHaveLength(responses.length);
    expect(requestLines[0]).toMatchObject({
      method: "POST",
      path: "/webhooks/huggingface?secret=[redacted]",
      status: 202,
      deliveryId: responses[0]?.json?.deliveryId,
      requestId: expect.any(String),
      durationMs: expect.any(Number),
    });
    expect(requestLines[3]?.path).toBe("/webhooks/huggingface?secret=[redacted]&x=1");
    expect(requestLines[4]?.path).toBe("/webhooks/huggingface?secre%74=[redacted]");

    await bridge.server.close();
    await store.close();
    const storedBytes = readdirSync(dir).map((name) => readFileSync(join(dir, name)));
    expect(storedBytes.length).toBeGreaterThan(0);
    // The stored bodies are there (so the scan reads the real rows), the secrets are not.
    expect(storedBytes.some((bytes) => bytes.includes("some-user/some-repo"))).toBe(true);
    expect(handed).toHaveLength(3);
    expect(handed[1]?.headers).toMatchObject({ "content-type": "application/json" });
    for (const secret of [TEST_SECRET, WRONG_SECRET]) {
      expect(JSON.stringify(handed)).not.toContain(secret);
      expect(logs.join("\n")).not.toContain(secret);
      for (const bytes of storedBytes) expect(bytes.includes(secret)).toBe(false);
      for (const response of responses) expect(response.text).not.toContain(secret);
    }
  });
});
