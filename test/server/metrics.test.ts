import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createBridgeMetrics } from "../../src/metrics/create-bridge-metrics.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import { StoreUnavailableError } from "../../src/store/store.ts";
import { fixtureDelivery } from "../store/fixture-delivery.ts";
import { postWebhook } from "./support/post-webhook.ts";
import { sendRequest } from "./support/send-request.ts";
import {
  overrideStore,
  ROUTED_DISCUSSION,
  startTestBridge,
  UNROUTED_DISCUSSION,
  useTestBridges,
  WEBHOOK_PATH,
} from "./support/start-test-bridge.ts";

const METRICS_TOKEN = "metrics-token-for-tests-3b8e1f0a";

const startBridge = useTestBridges();

function scrape(url: string, authorization?: string) {
  return sendRequest(`${url}/metrics`, {
    method: "GET",
    headers: authorization ? { authorization } : {},
  });
}

/** The value of one sample line, e.g. `hf_bridge_jobs{state="queued"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  it("is off without a token, and says which variable turns it on", async () => {
    const bridge = await startBridge();
    const response = await scrape(bridge.url, `Bearer ${METRICS_TOKEN}`);
    expect(response.status).toBe(404);
    expect(response.json?.reason).toMatch(/set HF_BRIDGE_METRICS_TOKEN to a random string/);
  });

  it("refuses a missing or wrong bearer token without naming the right one", async () => {
    const bridge = await startBridge({ metricsToken: METRICS_TOKEN });
    const missing = await scrape(bridge.url);
    expect(missing.status).toBe(401);
    expect(missing.headers["www-authenticate"]).toBe('Bearer realm="hf-bridge metrics"');
    expect(missing.json?.reason).toMatch(/Authorization: Bearer <HF_BRIDGE_METRICS_TOKEN>/);
    const wrong = await scrape(bridge.url, `Bearer ${METRICS_TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.json?.reason).toBe("the bearer token does not match HF_BRIDGE_METRICS_TOKEN");
    expect(`${missing.text}${wrong.text}`).not.toContain(METRICS_TOKEN);
  });

  it("counts answers by path and status and reads the queue from the store", async () => {
    const bridge = await startBridge({ metricsToken: METRICS_TOKEN });
    const webhookUrl = `${bridge.url}${WEBHOOK_PATH}`;
    expect((await postWebhook(webhookUrl, ROUTED_DISCUSSION)).status).toBe(202);
    expect((await postWebhook(webhookUrl, ROUTED_DISCUSSION)).status).toBe(200);
    expect((await postWebhook(webhookUrl, UNROUTED_DISCUSSION)).status).toBe(202);
    expect((await postWebhook(webhookUrl, ROUTED_DISCUSSION, { secret: "wrong" })).status).toBe(
      401,
    );

    const response = await scrape(bridge.url, `Bearer ${METRICS_TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const path = `path="${WEBHOOK_PATH}"`;
    expect(sample(response.text, `hf_bridge_http_requests_total{${path},status="202"}`)).toBe(2);
    expect(sample(response.text, `hf_bridge_http_requests_total{${path},status="200"}`)).toBe(1);
    expect(sample(response.text, `hf_bridge_http_requests_total{${path},status="401"}`)).toBe(1);
    expect(sample(response.text, `hf_bridge_http_request_duration_seconds_count{${path}}`)).toBe(4);
    expect(sample(response.text, 'hf_bridge_jobs{state="queued"}')).toBe(1);
    expect(sample(response.text, 'hf_bridge_jobs{state="dead"}')).toBe(0);
    expect(sample(response.text, "hf_bridge_process_resident_memory_bytes")).toBeGreaterThan(0);
    // The token authenticates; it is never written anywhere.
    expect(bridge.logs.join("\n")).not.toContain(METRICS_TOKEN);
  });

  it("fails the scrape with 503 when the store cannot be read, so the target shows as down", async () => {
    const bridge = await startBridge({
      metricsToken: METRICS_TOKEN,
      wrapStore: (store) =>
        overrideStore(store, {
          countJobs: () => Promise.reject(new StoreUnavailableError("database is locked")),
        }),
    });
    const response = await scrape(bridge.url, `Bearer ${METRICS_TOKEN}`);
    expect(response.status).toBe(503);
    expect(response.json?.reason).toBe(
      "the store could not be read for the queue figures; see the server log",
    );
    expect(bridge.logs.join("\n")).toContain("metrics could not be collected");
  });

  it.each([
    ["short", /is 5 characters long, fewer than the 16 required/],
    ["has a space in the middle!", /holds spaces or characters outside printable ASCII/],
  ])("refuses the token %j at start with how to make one", async (token, problem) => {
    const starting = startTestBridge({ metricsToken: token });
    await expect(starting).rejects.toThrow(problem);
    await expect(starting).rejects.toThrow(/openssl rand -hex 32/);
    await expect(starting).rejects.not.toThrow(token);
  });
});

describe("createBridgeMetrics", () => {
  it("reports how long the oldest due job has waited", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bridge-metrics-"));
    const store = await createSqliteStore({ path: join(dir, "bridge.db") });
    try {
      const delivery = fixtureDelivery("hookdeck-discussion.comment-create.json");
      await store.recordDelivery(delivery);
      const at = new Date(delivery.receivedAt.getTime() + 90_000);
      const { text } = await createBridgeMetrics({ store, now: () => at }).render();
      expect(sample(text, "hf_bridge_oldest_due_job_wait_seconds")).toBe(90);
      expect(sample(text, 'hf_bridge_jobs{state="queued"}')).toBe(1);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
