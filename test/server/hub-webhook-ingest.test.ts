import { Agent } from "node:http";
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../../src/server/parse-json-body.ts";
import { StoreUnavailableError } from "../../src/store/store.ts";
import { readFixtureText } from "../support/fixtures.ts";
import { postWebhook } from "./support/post-webhook.ts";
import { sendRequest } from "./support/send-request.ts";
import {
  overrideStore,
  ROUTED_DISCUSSION,
  TEST_SECRET,
  UNROUTED_DISCUSSION,
  useTestBridges,
  WEBHOOK_PATH,
} from "./support/start-test-bridge.ts";

/** A legacy v2 payload the parser acknowledges but cannot map. */
const PARSER_IGNORED = readFixtureText("datasetviewer-v2-repo-add-minimal.json");

const start = useTestBridges();

describe("POST /webhooks/huggingface", () => {
  it("stores and queues a routed event, answering 202 with the delivery id", async () => {
    const { webhookUrl, store } = await start();
    const response = await postWebhook(webhookUrl, ROUTED_DISCUSSION);
    expect(response.status).toBe(202);
    expect(response.json).toEqual({ status: "queued", deliveryId: expect.any(Number) });
    const [delivery] = await store.listDeliveries({ limit: 5 });
    expect(delivery).toMatchObject({
      id: response.json?.deliveryId,
      source: "hub",
      disposition: "queued",
      eventKind: "discussion.opened",
      jobState: "queued",
    });
  });

  it("answers 200 for a duplicate of a stored delivery", async () => {
    const { webhookUrl, store } = await start();
    const first = await postWebhook(webhookUrl, ROUTED_DISCUSSION);
    const second = await postWebhook(webhookUrl, ROUTED_DISCUSSION);
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.json).toEqual({ status: "duplicate", deliveryId: first.json?.deliveryId });
    const deliveries = await store.listDeliveries({ limit: 5 });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.duplicates).toBe(1);
  });

  it("stores an authentic event no route covers as ignored and still answers 202", async () => {
    const { webhookUrl, store } = await start();
    const response = await postWebhook(webhookUrl, UNROUTED_DISCUSSION);
    expect(response.status).toBe(202);
    expect(response.json?.status).toBe("ignored");
    expect(response.json?.reason).toBe("no route matches model gpt2; add a route to hf-bridge.yml");
    const [delivery] = await store.listDeliveries({ limit: 5 });
    expect(delivery).toMatchObject({
      disposition: "ignored",
      reason: response.json?.reason,
      eventKind: "discussion.opened",
    });
    expect(delivery?.jobId).toBeUndefined();
  });

  it("stores a payload the parser ignores as ignored with the parser's reason", async () => {
    const { webhookUrl, store } = await start();
    const response = await postWebhook(webhookUrl, PARSER_IGNORED);
    expect(response.status).toBe(202);
    expect(response.json?.reason).toContain("legacy v2 payload");
    const [delivery] = await store.listDeliveries({ limit: 5 });
    expect(delivery?.disposition).toBe("ignored");
  });

  it("answers 400 with the parser's reason for JSON that is not a Hub payload, and keeps it as rejected", async () => {
    const { webhookUrl, store } = await start();
    const response = await postWebhook(webhookUrl, '{"hello":"world"}');
    expect(response.status).toBe(400);
    expect(response.json?.status).toBe("rejected");
    expect(response.json?.reason).toContain("not a Hub webhook payload");
    const [delivery] = await store.listDeliveries({ limit: 5 });
    expect(delivery).toMatchObject({ disposition: "rejected", id: response.json?.deliveryId });
    expect(delivery?.dedupeKey).toMatch(/^hub:rejected:[0-9a-f]{64}$/);
  });

  it("answers 400 for invalid JSON and keeps the body as rejected", async () => {
    const { webhookUrl, store } = await start();
    const response = await postWebhook(webhookUrl, '{"event": ');
    expect(response.status).toBe(400);
    expect(response.json?.reason).toMatch(
      /^the body is not valid JSON \(.+\); send the Hub payload as JSON$/,
    );
    expect((await store.listDeliveries({ limit: 5 }))[0]?.disposition).toBe("rejected");
  });

  it("answers 400 for a body that is not UTF-8", async () => {
    const { webhookUrl } = await start();
    const response = await sendRequest(webhookUrl, {
      body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
      headers: { "content-type": "application/json", "x-webhook-secret": TEST_SECRET },
    });
    expect(response.status).toBe(400);
    expect(response.json?.reason).toContain("not valid UTF-8");
  });

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels and accepts that depth`, async () => {
    const { webhookUrl } = await start();
    const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const tooDeep = await postWebhook(webhookUrl, nested(MAX_JSON_DEPTH + 1));
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.json?.reason).toContain(`nests ${MAX_JSON_DEPTH + 1} levels deep`);
    const atLimit = await postWebhook(webhookUrl, nested(MAX_JSON_DEPTH));
    expect(atLimit.status).toBe(400);
    expect(atLimit.json?.reason).toBe("the body is not a JSON object; a Hub webhook sends one");
    // Brackets inside strings are text, not nesting.
    const payload = JSON.parse(ROUTED_DISCUSSION) as { discussion: { title: string } };
    payload.discussion.title = "[".repeat(MAX_JSON_DEPTH * 2);
    expect((await postWebhook(webhookUrl, JSON.stringify(payload))).status).toBe(202);
  });

  it("handles __proto__ and constructor keys without touching any prototype", async () => {
    const { webhookUrl, store } = await start();
    const body = `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},${ROUTED_DISCUSSION.trim().slice(1)}`;
    const response = await postWebhook(webhookUrl, body);
    expect(response.status).toBe(202);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect((Object.prototype as { polluted?: unknown }).polluted).toBeUndefined();
    const [delivery] = await store.listDeliveries({ limit: 1 });
    expect(delivery?.eventKind).toBe("discussion.opened");
    const job = await store.claimJob({ workerId: "test", leaseMs: 60_000 });
    expect(Object.getPrototypeOf(job?.event)).toBe(Object.prototype);
  });

  describe("secret", () => {
    it("answers 401 without storing anything when no secret is sent", async () => {
      const { webhookUrl, store } = await start();
      const response = await postWebhook(webhookUrl, ROUTED_DISCUSSION, { secret: null });
      expect(response.status).toBe(401);
      expect(response.json?.reason).toContain("no webhook secret was sent");
      expect(await store.listDeliveries({ limit: 5 })).toEqual([]);
    });

    it("answers 401 for a wrong secret in the header or the query", async () => {
      const { webhookUrl, store } = await start();
      const header = await postWebhook(webhookUrl, ROUTED_DISCUSSION, { secret: "not-the-secret" });
      const query = await postWebhook(`${webhookUrl}?secret=not-the-secret`, ROUTED_DISCUSSION, {
        secret: null,
      });
      for (const response of [header, query]) {
        expect(response.status).toBe(401);
        expect(response.json?.reason).toContain("does not match");
        expect(response.text).not.toContain("not-the-secret");
      }
      expect(await store.listDeliveries({ limit: 5 })).toEqual([]);
    });

    it("accepts the secret in the query instead of the header", async () => {
      const { webhookUrl } = await start();
      const response = await postWebhook(
        `${webhookUrl}?secret=${encodeURIComponent(TEST_SECRET)}`,
        ROUTED_DISCUSSION,
        {
          secret: null,
        },
      );
      expect(response.status).toBe(202);
    });

    it("answers 401 when the header and the query disagree, even if one is right", async () => {
      const { webhookUrl } = await start();
      const response = await postWebhook(`${webhookUrl}?secret=other-value`, ROUTED_DISCUSSION);
      expect(response.status).toBe(401);
      expect(response.json?.reason).toContain("disagree");
      const agreeing = await postWebhook(`${webhookUrl}?secret=${TEST_SECRET}`, ROUTED_DISCUSSION);
      expect(agreeing.status).toBe(202);
    });

    it("answers 401 when the query carries the secret twice", async () => {
      const { webhookUrl } = await start();
      const response = await postWebhook(
        `${webhookUrl}?secret=${TEST_SECRET}&secret=${TEST_SECRET}`,
        ROUTED_DISCUSSION,
        {
          secret: null,
        },
      );
      expect(response.status).toBe(401);
      expect(response.json?.reason).toContain("more than one webhook secret");
    });

    it("accepts every configured secret during a rotation", async () => {
      const { webhookUrl } = await start({ secrets: ["old-secret", TEST_SECRET] });
      expect(
        (await postWebhook(webhookUrl, ROUTED_DISCUSSION, { secret: "old-secret" })).status,
      ).toBe(202);
      expect((await postWebhook(webhookUrl, UNROUTED_DISCUSSION)).status).toBe(202);
      expect(
        (await postWebhook(webhookUrl, ROUTED_DISCUSSION, { secret: "older-secret" })).status,
      ).toBe(401);
    });

    it("checks the secret before reading the body", async () => {
      const { webhookUrl } = await start();
      const response = await postWebhook(webhookUrl, "this is not JSON", { secret: "wrong" });
      expect(response.status).toBe(401);
    });

    it("accepts unsigned deliveries only when allowUnsigned is set and no secret is configured", async () => {
      const { webhookUrl } = await start({ secrets: [], allowUnsigned: true });
      expect((await postWebhook(webhookUrl, ROUTED_DISCUSSION, { secret: null })).status).toBe(202);
    });
  });

  describe("content type", () => {
    it.each([
      ["text/plain", 415],
      ["application/x-www-form-urlencoded", 415],
      ["application/json; charset=latin1", 415],
      ["application/json; charset=utf-8", 202],
      ["Application/JSON; charset=UTF-8", 202],
    ])("answers %s with %i", async (contentType, status) => {
      const { webhookUrl } = await start();
      const response = await postWebhook(webhookUrl, ROUTED_DISCUSSION, {
        headers: { "content-type": contentType },
      });
      expect(response.status).toBe(status);
      if (status === 415)
        expect(response.json?.reason).toContain("send Content-Type: application/json");
    });

    it("answers 415 when the content type is missing", async () => {
      const { webhookUrl } = await start();
      const response = await sendRequest(webhookUrl, {
        body: ROUTED_DISCUSSION,
        headers: { "x-webhook-secret": TEST_SECRET },
      });
      expect(response.status).toBe(415);
      expect(response.json?.reason).toContain("Content-Type is missing");
    });
  });

  describe("body size and time", () => {
    const LIMIT = 4096;

    it("accepts a body of exactly the limit", async () => {
      const { webhookUrl } = await start({ bodyLimitBytes: LIMIT });
      const padded = ROUTED_DISCUSSION.trim().padEnd(LIMIT, " ");
      expect(Buffer.byteLength(padded)).toBe(LIMIT);
      expect((await postWebhook(webhookUrl, padded)).status).toBe(202);
    });

    it("answers 413 for a Content-Length over the limit without waiting for the body", async () => {
      const { webhookUrl, store } = await start({ bodyLimitBytes: LIMIT });
      const response = await sendRequest(webhookUrl, {
        headers: {
          "content-type": "application/json",
          "x-webhook-secret": TEST_SECRET,
          "content-length": LIMIT + 1,
        },
        stallAfter: Buffer.from("{"),
      });
      expect(response.status).toBe(413);
      expect(response.json?.reason).toContain(`larger than ${LIMIT} bytes`);
      expect(await store.listDeliveries({ limit: 5 })).toEqual([]);
    });

    it("answers 413 for a chunked body that grows past the limit while streaming", async () => {
      const { webhookUrl } = await start({ bodyLimitBytes: LIMIT });
      // One byte over, as valid JSON, so only the byte count can refuse it.
      const body = Buffer.from(ROUTED_DISCUSSION.trim().padEnd(LIMIT + 1, " "));
      function* inPieces() {
        for (let offset = 0; offset < body.length; offset += 1024)
          yield body.subarray(offset, offset + 1024);
      }
      const response = await sendRequest(webhookUrl, {
        headers: { "content-type": "application/json", "x-webhook-secret": TEST_SECRET },
        chunks: inPieces(),
      });
      expect(response.status).toBe(413);
      expect(response.headers.connection).toBe("close");
    });

    it("answers 408 when the body stalls", async () => {
      const { webhookUrl, store } = await start({ bodyTimeoutMs: 50 });
      const response = await sendRequest(webhookUrl, {
        headers: {
          "content-type": "application/json",
          "x-webhook-secret": TEST_SECRET,
          "content-length": 1000,
        },
        stallAfter: Buffer.from('{"event":'),
      });
      expect(response.status).toBe(408);
      expect(response.json?.reason).toContain("did not arrive within 50 ms");
      expect(await store.listDeliveries({ limit: 5 })).toEqual([]);
    });
  });

  describe("store failures", () => {
    const unavailable = () => Promise.reject(new StoreUnavailableError("disk I/O error"));

    it("answers 503 with Retry-After when the store rejects, and never 2xx", async () => {
      const { webhookUrl } = await start({
        wrapStore: (store) => overrideStore(store, { recordDelivery: unavailable }),
      });
      for (const body of [ROUTED_DISCUSSION, UNROUTED_DISCUSSION, PARSER_IGNORED]) {
        const response = await postWebhook(webhookUrl, body);
        expect(response.status).toBe(503);
        expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
        expect(response.json?.status).toBe("unavailable");
      }
    });

    it("answers 503 for any store error, not only StoreUnavailableError", async () => {
      const { webhookUrl } = await start({
        wrapStore: (store) =>
          overrideStore(store, { recordDelivery: () => Promise.reject(new TypeError("bug")) }),
      });
      expect((await postWebhook(webhookUrl, ROUTED_DISCUSSION)).status).toBe(503);
    });

    it("still answers 400 for an invalid payload when keeping it fails", async () => {
      const { webhookUrl } = await start({
        wrapStore: (store) => overrideStore(store, { recordDelivery: unavailable }),
      });
      const response = await postWebhook(webhookUrl, '{"hello":"world"}');
      expect(response.status).toBe(400);
      expect(response.json?.deliveryId).toBeUndefined();
    });
  });

  describe("routing table", () => {
    it("answers 405 with Allow for a wrong method", async () => {
      const { url, webhookUrl } = await start();
      const get = await sendRequest(webhookUrl, { method: "GET" });
      expect(get.status).toBe(405);
      expect(get.headers.allow).toBe("POST");
      const post = await sendRequest(`${url}/healthz`, { method: "POST", body: "{}" });
      expect(post.status).toBe(405);
      expect(post.headers.allow).toBe("GET, HEAD");
    });

    it("answers 404 for an unknown path, including the webhook path with a trailing slash", async () => {
      const { url, webhookUrl, logs } = await start();
      for (const target of [`${url}/nope`, `${webhookUrl}/`, `${url}//evil.example/x`]) {
        const response = await sendRequest(target, { method: "GET" });
        expect(response.status).toBe(404);
        expect(response.json?.status).toBe("not-found");
      }
      const logged = logs.map(
        (line) => JSON.parse(line) as { msg: string; status?: number; path?: string },
      );
      expect(
        logged
          .filter((record) => record.msg === "request")
          .map((record) => [record.status, record.path]),
      ).toEqual([
        [404, "/nope"],
        [404, "/webhooks/huggingface/"],
        [404, "//evil.example/x"],
      ]);
    });

    it("serves the ingest route on a configured path", async () => {
      const { url } = await start({ path: "/hooks/hub" });
      expect((await postWebhook(`${url}/hooks/hub`, ROUTED_DISCUSSION)).status).toBe(202);
      expect((await postWebhook(`${url}${WEBHOOK_PATH}`, ROUTED_DISCUSSION)).status).toBe(404);
    });

    it.each(["/", "/healthz", "/metrics"])(
      "refuses a configured path that one of its own pages uses (%s)",
      async (path) => {
        await expect(start({ path })).rejects.toThrow(
          `createBridgeServer: path "${path}" is one of the bridge's own paths`,
        );
      },
    );

    it("serves GitHub webhooks only when they are configured", async () => {
      const plain = await start();
      const off = await sendRequest(`${plain.url}/api/github/webhooks`, { body: "{}" });
      expect(off.status).toBe(404);
      const withGitHub = await start({
        githubWebhooks: { secret: "github-webhook-secret", markerKey: async () => "marker-key" },
      });
      const on = await sendRequest(`${withGitHub.url}/api/github/webhooks`, { body: "{}" });
      expect(on.status).toBe(401);
      expect((await sendRequest(`${withGitHub.url}/other`, { method: "GET" })).status).toBe(404);
    });

    it("keeps connections alive between deliveries", async () => {
      const { webhookUrl } = await start();
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const first = await postWebhook(webhookUrl, ROUTED_DISCUSSION, { agent });
        const second = await postWebhook(webhookUrl, UNROUTED_DISCUSSION, { agent });
        expect([first.status, second.status]).toEqual([202, 202]);
        expect(first.headers.connection).toBe("keep-alive");
        expect(second.reusedSocket).toBe(true);
      } finally {
        agent.destroy();
      }
    });
  });
});
