import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type EndpointWatch, endpointWatchSchema } from "../../src/config/config-schema.ts";
import { handleEndpointStatePost } from "../../src/endpoints/handle-endpoint-state-post.ts";
import { createEndpointPoller } from "../../src/pollers/endpoints/create-endpoint-poller.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import { fakeEndpointJson } from "../support/fake-endpoints-api/fake-endpoint-json.ts";
import {
  type FakeEndpointsApi,
  startFakeEndpointsApi,
} from "../support/fake-endpoints-api/start-fake-endpoints-api.ts";

const WATCHES: EndpointWatch[] = [
  endpointWatchSchema.parse({ namespace: "acme", names: ["chat-*"], github: "acme/ops" }),
  endpointWatchSchema.parse({ namespace: "labs", names: ["vision-*"], github: "acme/ops" }),
];
const RECEIVED = new Date("2025-03-01T12:00:00Z");

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "endpoint-post-"));
  store = await createSqliteStore({ path: join(dir, "bridge.sqlite") });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function post(body: unknown, namespace?: string) {
  return handleEndpointStatePost(
    {
      body: typeof body === "string" ? body : JSON.stringify(body),
      headers: { "content-type": "application/json" },
      receivedAt: RECEIVED,
      ...(namespace ? { namespace } : {}),
    },
    { store, endpoints: WATCHES },
  );
}

const running = (name: string) =>
  fakeEndpointJson({ name, state: "running", updatedAt: "2025-03-01T11:00:00.000Z" });

describe("handleEndpointStatePost", () => {
  it("queues the same event a poll would, finding the namespace from the watched names", async () => {
    const result = await post(running("chat-llama"));
    expect(result).toMatchObject({
      status: "queued",
      event: {
        kind: "endpoint.state-changed",
        endpoint: { namespace: "acme", name: "chat-llama", state: "running" },
        history: [{ state: "running", at: "2025-03-01T11:00:00.000Z" }],
      },
    });
    const [delivery] = await store.listDeliveries({ limit: 5 });
    expect(delivery).toMatchObject({
      source: "endpoint-post",
      dedupeKey: "endpoint:acme/chat-llama:running:2025-03-01T11:00:00.000Z",
      eventKind: "endpoint.state-changed",
    });
    expect(await post(running("chat-llama"))).toStrictEqual({
      status: "unchanged",
      reason: '"acme/chat-llama" is already known as running',
    });
  });

  it("and the poller then sees nothing new, since both compare with the same stored state", async () => {
    const api: FakeEndpointsApi = await startFakeEndpointsApi({ token: "t" });
    try {
      api.advance("acme", "chat-llama", "running");
      const state = fakeEndpointJson({
        name: "chat-llama",
        state: "running",
        updatedAt: "2025-03-01T09:00:00.000Z",
      });
      expect(await post({ namespace: "acme", endpoint: state })).toMatchObject({
        status: "queued",
      });
      const poller = createEndpointPoller({
        store,
        config: { version: 1, routes: [], endpoints: WATCHES, retentionDays: 30, users: {} },
        fetch,
        baseUrl: api.baseUrl,
        token: "t",
        logger: createLogger({ level: "silent" }),
      });
      const reports = await poller.pollOnce();
      expect(reports.find((report) => report.namespace === "acme")).toMatchObject({
        ok: true,
        queued: 0,
      });
    } finally {
      await api.close();
    }
  });

  it("takes the namespace from the envelope or the query when the name cannot tell", async () => {
    expect(await post({ namespace: "labs", endpoint: running("vision-vit") })).toMatchObject({
      status: "queued",
      event: { endpoint: { namespace: "labs" } },
    });
    expect(await post(running("chat-mistral"), "acme")).toMatchObject({ status: "queued" });
  });

  it("ignores endpoints no entry watches, and refuses bodies it cannot read, storing neither", async () => {
    expect(await post(running("batch-job"))).toMatchObject({ status: "rejected" });
    expect(await post(running("batch-job"), "acme")).toStrictEqual({
      status: "ignored",
      reason: 'no endpoints[] entry watches "acme/batch-job"; add it to the config to get a card',
    });
    expect(await post("{not json")).toMatchObject({
      status: "rejected",
      reason: expect.stringMatching(/^the body is not JSON \(.+\); send the Endpoint JSON$/),
    });
    expect(await post({ namespace: 7, endpoint: {} })).toStrictEqual({
      status: "rejected",
      reason: 'namespace 7 is not a name; send { "namespace": "<user or org>", "endpoint": { … } }',
    });
    expect(await post({ namespace: "acme", endpoint: { name: "chat-x" } })).toMatchObject({
      status: "rejected",
      reason: expect.stringContaining("endpoint.status: Invalid input"),
    });
    expect(await store.listDeliveries({ limit: 5 })).toStrictEqual([]);
  });
});
