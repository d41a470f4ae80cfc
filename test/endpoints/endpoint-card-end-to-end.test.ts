import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.ts";
import {
  createEndpointPoller,
  type EndpointPoller,
} from "../../src/pollers/endpoints/create-endpoint-poller.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import {
  type ChecksBridge,
  startChecksBridge,
  WEBHOOK_SECRET,
} from "../checks/support/start-checks-bridge.ts";
import { fakeEndpointJson } from "../support/fake-endpoints-api/fake-endpoint-json.ts";
import {
  type FakeEndpointsApi,
  startFakeEndpointsApi,
} from "../support/fake-endpoints-api/start-fake-endpoints-api.ts";

const TOKEN = "hf_card_end_to_end_token";
/** The model revision of the fake's endpoints; the GitHub repo has the same commit. */
const REVISION = "11c5a3d5811f50298f278a704980280950aedb10";
const OTHER_GITHUB_COMMIT = "2222222222333333333344444444445555555555";
const CONFIG = { endpoints: [{ namespace: "acme", names: ["chat"], github: "acme/app" }] };

let bridge: ChecksBridge;
let api: FakeEndpointsApi;

beforeEach(async () => {
  bridge = await startChecksBridge({
    config: CONFIG,
    repos: [{ owner: "acme", name: "app", commits: [OTHER_GITHUB_COMMIT, REVISION] }],
  });
  api = await startFakeEndpointsApi({ token: TOKEN });
});

afterEach(async () => {
  bridge.github.expectNoViolations();
  await api.close();
  await bridge.close();
});

/** A poller on the bridge's store, as `serve` starts it; a second one is a restarted process. */
function startPoller(): EndpointPoller {
  return createEndpointPoller({
    store: bridge.store,
    config: configSchema.parse(CONFIG),
    fetch,
    baseUrl: api.baseUrl,
    token: TOKEN,
    logger: createLogger({ level: "silent" }),
    onEvents: () => bridge.worker.wake(),
  });
}

/** What a watcher of acme/app sees: the card, its comments' first lines, dispatches, check runs. */
function onGitHub() {
  const repo = bridge.github.state.repos.get("acme/app");
  const cards = [...(repo?.issues.values() ?? [])];
  expect(cards).toHaveLength(1);
  const card = cards[0];
  return {
    title: card?.title,
    state: card?.state,
    labels: card?.labels,
    badge: card?.body?.split("\n")[0],
    body: card?.body ?? "",
    comments: [...bridge.github.state.comments.values()].map(
      (comment) => comment.body.split("\n")[0],
    ),
    dispatches: (repo?.dispatches ?? []).map(
      (dispatch) =>
        `${dispatch.event_type} ${(dispatch.client_payload as { state?: string }).state}`,
    ),
    checkRuns: bridge
      .checkRuns()
      .map((run) => `${run.name} ${run.conclusion} ${run.head_sha.slice(0, 7)}`),
  };
}

async function moveTo(poller: EndpointPoller, state: string, message?: string) {
  api.advance("acme", "chat", state, message ? { message } : {});
  const [report] = await poller.pollOnce();
  expect(report).toMatchObject({ ok: true, queued: 1 });
  const deliveries = await bridge.settle();
  expect(deliveries.map((delivery) => delivery.jobState)).not.toContain("dead");
  return onGitHub();
}

const CHECK = "Inference Endpoint acme/chat";

describe("an endpoint's card, through the poller, store, worker and GitHub executor", () => {
  it("follows pending → initializing → running → paused → running → failed → running and updating → updateFailed, across restarts", async () => {
    let poller = startPoller();
    expect(await moveTo(poller, "pending")).toMatchObject({
      title: "[Endpoint] acme/chat",
      state: "open",
      labels: ["endpoint:pending"],
      badge: "## ⏳ Pending",
      comments: [],
      dispatches: [],
      checkRuns: [],
    });
    expect(await moveTo(poller, "initializing")).toMatchObject({
      labels: ["endpoint:initializing"],
      badge: "## 🔄 Initializing",
      comments: [],
      checkRuns: [],
    });
    const running = await moveTo(poller, "running");
    expect(running).toMatchObject({
      labels: ["endpoint:running"],
      badge: "## 🟢 Running",
      comments: ["🟢 Running: `acme/chat` (was initializing)."],
      dispatches: [],
      checkRuns: [`${CHECK} success 11c5a3d`],
    });
    expect(running.body).toContain("| **Replicas** | 1 ready / 1 target |");

    // A restarted process polls again with nothing changed: no event, no write.
    const writes = bridge.github.requests.length;
    poller = startPoller();
    expect(await poller.pollOnce()).toMatchObject([{ ok: true, queued: 0 }]);
    expect(bridge.github.requests.length).toBe(writes);

    expect(await moveTo(poller, "paused")).toMatchObject({
      labels: ["endpoint:paused"],
      badge: "## ⏸️ Paused",
      comments: ["🟢 Running: `acme/chat` (was initializing)."],
      checkRuns: [`${CHECK} success 11c5a3d`],
    });
    await moveTo(poller, "running");

    // The endpoint fails while the bridge is down: the next process reports it once.
    api.advance("acme", "chat", "failed", { message: "Out of memory" });
    poller = startPoller();
    expect(await poller.pollOnce()).toMatchObject([{ ok: true, queued: 1 }]);
    await bridge.settle();
    expect(await poller.pollOnce()).toMatchObject([{ ok: true, queued: 0 }]);
    const failed = onGitHub();
    expect(failed).toMatchObject({
      labels: ["endpoint:failed"],
      badge: "## 🔴 Failed",
      comments: [
        "🟢 Running: `acme/chat` (was initializing).",
        "🟢 Running: `acme/chat` (was paused).",
        "🔴 Failed: `acme/chat` (was running).",
      ],
      dispatches: ["hf.endpoint.failed failed"],
      checkRuns: [
        `${CHECK} success 11c5a3d`,
        `${CHECK} success 11c5a3d`,
        `${CHECK} failure 11c5a3d`,
      ],
    });
    expect(failed.body).toContain("| **Last message** | Out of memory |");

    expect(await moveTo(poller, "running")).toMatchObject({
      labels: ["endpoint:running"],
      comments: expect.arrayContaining(["🟢 Running again: `acme/chat` recovered (was failed)."]),
      dispatches: ["hf.endpoint.failed failed"],
    });
    expect(await moveTo(poller, "updating")).toMatchObject({
      labels: ["endpoint:updating"],
      badge: "## 🔄 Updating",
    });
    const updateFailed = await moveTo(poller, "updateFailed");
    expect(updateFailed).toMatchObject({
      labels: ["endpoint:updateFailed"],
      badge: "## 🔴 Update failed",
      dispatches: ["hf.endpoint.failed failed", "hf.endpoint.failed updateFailed"],
    });
    expect(updateFailed.comments).toStrictEqual([
      "🟢 Running: `acme/chat` (was initializing).",
      "🟢 Running: `acme/chat` (was paused).",
      "🔴 Failed: `acme/chat` (was running).",
      "🟢 Running again: `acme/chat` recovered (was failed).",
      "🔴 Update failed: `acme/chat` (was updating).",
    ]);
    expect(updateFailed.checkRuns.map((run) => run.split(" ").at(-2))).toStrictEqual([
      "success",
      "success",
      "failure",
      "success",
      "failure",
    ]);
    // Every transition is one row of the history table, none twice.
    expect(updateFailed.body.match(/^\| 2025-\S+ \S+ UTC \|/gm)).toHaveLength(9);
  });

  it("writes no check run when the revision is no GitHub commit, and the job still succeeds", async () => {
    const poller = startPoller();
    api.advance("acme", "chat", "running", { revision: "f".repeat(40) });
    await poller.pollOnce();
    const [delivery] = await bridge.settle();
    expect(delivery?.jobState).toBe("done");
    expect(onGitHub()).toMatchObject({ labels: ["endpoint:running"], checkRuns: [] });
  });

  it("closes the card with a note when the endpoint leaves its namespace, once", async () => {
    const poller = startPoller();
    const running = await moveTo(poller, "running");
    const lastRunning = /\| \*\*Updated\*\* \| ([^|]+) \|/.exec(running.body)?.[1]?.trim();
    expect(lastRunning).toMatch(/^20\d\d-/);
    expect(running.body).toContain("1 ready / 1 target");
    const paused = await moveTo(poller, "paused");
    const lastSeen = /\| \*\*Updated\*\* \| ([^|]+) \|/.exec(paused.body)?.[1]?.trim();
    api.remove("acme", "chat");
    expect(await poller.pollOnce()).toMatchObject([{ ok: true, queued: 1 }]);
    await bridge.settle();
    expect(await poller.pollOnce()).toMatchObject([{ ok: true, queued: 0 }]);
    expect(onGitHub()).toMatchObject({
      state: "closed",
      labels: ["endpoint:deleted"],
      badge: "## 🗑️ Deleted",
      comments: [
        "🗑️ Deleted: `acme/chat` is no longer listed in its namespace, so this card is closed.",
      ],
    });
    const card = onGitHub().body;
    expect(card).toContain("| **Replicas** | — |");
    expect(card).toContain("| **URL** | — |");
    expect(card).not.toContain("endpoints.huggingface.cloud");
    const updated = /\| \*\*Updated\*\* \| ([^|]+) \|/.exec(card)?.[1]?.trim();
    expect(updated).toMatch(/^20\d\d-/);
    expect([lastRunning, lastSeen]).not.toContain(updated);
    const notes = [...bridge.github.state.comments.values()].map((comment) => comment.body);
    expect(notes.at(-1)).toContain(updated);
    expect(notes.at(-1)).not.toContain(lastSeen);
  });
});

describe("POST /webhooks/endpoints, through the real server into the card", () => {
  const url = () => `${bridge.server.url}/webhooks/endpoints?namespace=acme`;

  function post(state: string, updatedAt: string, secret = WEBHOOK_SECRET) {
    return fetch(url(), {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": secret },
      body: JSON.stringify(fakeEndpointJson({ name: "chat", state, updatedAt })),
    });
  }

  it("refuses a wrong secret with 401 and writes nothing; a right one moves the card", async () => {
    const refused = await post("failed", "2026-03-01T10:00:00.000Z", "not-the-secret");
    expect(refused.status).toBe(401);
    await refused.arrayBuffer();
    expect(await bridge.store.listDeliveries({ limit: 10 })).toStrictEqual([]);
    expect(bridge.github.state.repos.get("acme/app")?.issues.size).toBe(0);

    const first = await post("failed", "2026-03-01T10:00:00.000Z");
    expect(first.status).toBe(202);
    await first.arrayBuffer();
    await bridge.settle();
    expect(onGitHub()).toMatchObject({
      labels: ["endpoint:failed"],
      badge: "## 🔴 Failed",
      comments: ["🔴 Failed: `acme/chat`."],
      dispatches: ["hf.endpoint.failed failed"],
      checkRuns: [`${CHECK} failure 11c5a3d`],
    });

    const recovered = await post("running", "2026-03-01T10:05:00.000Z");
    expect(recovered.status).toBe(202);
    await recovered.arrayBuffer();
    await bridge.settle();
    expect(onGitHub()).toMatchObject({
      state: "open",
      labels: ["endpoint:running"],
      badge: "## 🟢 Running",
      comments: [
        "🔴 Failed: `acme/chat`.",
        "🟢 Running again: `acme/chat` recovered (was failed).",
      ],
      checkRuns: [`${CHECK} failure 11c5a3d`, `${CHECK} success 11c5a3d`],
    });
  });
});
