import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BridgeConfig, configSchema } from "../../src/config/config-schema.ts";
import type { Effect } from "../../src/effects/effect.ts";
import type { BridgeEvent } from "../../src/events/bridge-event.ts";
import {
  createEndpointPoller,
  type EndpointPoller,
} from "../../src/pollers/endpoints/create-endpoint-poller.ts";
import type { PollerClock } from "../../src/pollers/system-poller-clock.ts";
import { planEndpointEffects } from "../../src/rules/plan-endpoint-effects.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { storedText } from "../../src/store/stored-text.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import {
  type FakeEndpointsApi,
  startFakeEndpointsApi,
} from "../support/fake-endpoints-api/start-fake-endpoints-api.ts";

const TOKEN = "hf_poller_test_token";
const NS = "acme";
const CONFIG: BridgeConfig = configSchema.parse({
  endpoints: [{ namespace: NS, names: ["chat-*"], github: "acme/endpoints" }],
});

type EndpointEvent = Extract<BridgeEvent, { kind: "endpoint.state-changed" }>;

let dir: string;
let api: FakeEndpointsApi;
let store: Store;
let queued: EndpointEvent[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "endpoint-poller-"));
  api = await startFakeEndpointsApi({ token: TOKEN });
  store = await createSqliteStore({ path: join(dir, "bridge.sqlite") });
  queued = [];
});

afterEach(async () => {
  await store.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

function poller(options: { clock?: PollerClock; config?: BridgeConfig } = {}): EndpointPoller {
  return createEndpointPoller({
    store,
    config: options.config ?? CONFIG,
    fetch,
    baseUrl: api.baseUrl,
    token: TOKEN,
    logger: createLogger({ level: "silent" }),
    onEvents: (events) => queued.push(...(events as EndpointEvent[])),
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

/** The queued events that the worker would claim, in order, straight from the store's queue. */
async function claimAll(): Promise<EndpointEvent[]> {
  const events: EndpointEvent[] = [];
  for (;;) {
    const job = await store.claimJob({ workerId: "test", leaseMs: 60_000 });
    if (!job) return events;
    await store.completeJob(job, { summary: "checked by test", effects: [] });
    events.push(job.event as EndpointEvent);
  }
}

/** One line per effect: what a reader of the card sees change. */
function describeEffects(effects: readonly Effect[]): string[] {
  return effects.map((effect) => {
    switch (effect.type) {
      case "create-issue":
        return `create-issue "${effect.title}" [${effect.labels?.join(", ")}]`;
      case "update-issue":
        return `update-issue body: ${effect.body?.split("\n")[0]}`;
      case "add-labels":
      case "remove-labels":
        return `${effect.type} ${effect.labels.join(", ")}`;
      case "create-comment":
        return `comment: ${effect.body.split("\n")[0]}`;
      case "repository-dispatch": {
        // The dispatchId is a hash of the transition; the planner's own tests pin it down.
        const { dispatchId, ...payload } = effect.clientPayload;
        expect(dispatchId).toMatch(/^[0-9a-f]{32}$/);
        return `dispatch ${effect.eventType} ${JSON.stringify(payload)}`;
      }
      case "create-check-run":
        return `check run ${effect.conclusion} on ${effect.headSha.slice(0, 7)}: ${effect.output.title}`;
      case "close-issue":
      case "reopen-issue":
        return effect.type;
      default:
        return `unexpected ${effect.type}`;
    }
  });
}

/** Advances the fake one step, polls, and returns what was queued and what the planner makes of it. */
async function step(watcher: EndpointPoller, state: string, message?: string) {
  api.advance(NS, "chat-llama", state, message ? { message } : {});
  const before = queued.length;
  const [report] = await watcher.pollOnce();
  expect(report?.ok).toBe(true);
  const events = queued.slice(before);
  expect(events).toHaveLength(1);
  expect(await claimAll()).toStrictEqual(events);
  const event = events[0] as EndpointEvent;
  const planned = planEndpointEffects(event, CONFIG);
  return {
    transition: `${event.previousState ?? "∅"} → ${event.endpoint.state}`,
    effects: describeEffects(planned.effects),
    body: planned.effects.find((effect) => effect.type === "update-issue")?.body,
    event,
  };
}

const REVISION = "11c5a3d5811f50298f278a704980280950aedb10";
const RUNNING_URL = "https://vksrvs8pc1xnifhq.us-east-1.aws.endpoints.huggingface.cloud";

describe("endpoint poller", () => {
  it("follows pending → initializing → running → paused → running → failed → running across a restart", async () => {
    let watcher = poller();
    const title = 'create-issue "[Endpoint] acme/chat-llama"';

    expect(await step(watcher, "pending")).toMatchObject({
      transition: "∅ → pending",
      effects: [
        `${title} [endpoint:pending]`,
        "update-issue body: ## ⏳ Pending",
        "add-labels endpoint:pending",
      ],
    });
    expect(await step(watcher, "initializing")).toMatchObject({
      transition: "pending → initializing",
      effects: [
        `${title} [endpoint:initializing]`,
        "update-issue body: ## 🔄 Initializing",
        "remove-labels endpoint:pending",
        "add-labels endpoint:initializing",
      ],
    });
    const running = await step(watcher, "running");
    expect(running).toMatchObject({
      transition: "initializing → running",
      effects: [
        `${title} [endpoint:running]`,
        "update-issue body: ## 🟢 Running",
        "remove-labels endpoint:initializing",
        "add-labels endpoint:running",
        "comment: 🟢 Running: `acme/chat-llama` (was initializing).",
        "check run success on 11c5a3d: acme/chat-llama is running gpt2 @ 11c5a3d",
      ],
    });
    expect(running.event.history?.map((entry) => entry.state)).toStrictEqual([
      "pending",
      "initializing",
      "running",
    ]);

    // A restart: a new poller on the same SQLite file, with nothing changed in between.
    await store.close();
    store = await createSqliteStore({ path: join(dir, "bridge.sqlite") });
    watcher = poller();
    const [quiet] = await watcher.pollOnce();
    expect(quiet).toMatchObject({ ok: true, queued: 0 });
    expect(await claimAll()).toStrictEqual([]);

    expect(await step(watcher, "paused")).toMatchObject({
      transition: "running → paused",
      effects: [
        `${title} [endpoint:paused]`,
        "update-issue body: ## ⏸️ Paused",
        "remove-labels endpoint:running",
        "add-labels endpoint:paused",
      ],
    });
    expect(await step(watcher, "running")).toMatchObject({
      transition: "paused → running",
      effects: [
        `${title} [endpoint:running]`,
        "update-issue body: ## 🟢 Running",
        "remove-labels endpoint:paused",
        "add-labels endpoint:running",
        "comment: 🟢 Running: `acme/chat-llama` (was paused).",
        "check run success on 11c5a3d: acme/chat-llama is running gpt2 @ 11c5a3d",
      ],
    });

    // The bot is down while the endpoint fails: the next poller reports it once, on its first poll.
    await store.close();
    api.advance(NS, "chat-llama", "failed", { message: "Out of memory | loading shards" });
    store = await createSqliteStore({ path: join(dir, "bridge.sqlite") });
    watcher = poller();
    await watcher.pollOnce();
    const [failedEvent] = await claimAll();
    expect(failedEvent).toMatchObject({ previousState: "running", endpoint: { state: "failed" } });
    const failedPlan = planEndpointEffects(failedEvent as EndpointEvent, CONFIG).effects;
    expect(describeEffects(failedPlan)).toStrictEqual([
      `${title} [endpoint:failed]`,
      "update-issue body: ## 🔴 Failed",
      "remove-labels endpoint:running",
      "add-labels endpoint:failed",
      "comment: 🔴 Failed: `acme/chat-llama` (was running).",
      `dispatch hf.endpoint.failed ${JSON.stringify({
        endpoint: { namespace: NS, name: "chat-llama", repository: "gpt2", url: null },
        state: "failed",
        previousState: "running",
        message: "Out of memory | loading shards",
        revision: REVISION,
      })}`,
      "check run failure on 11c5a3d: acme/chat-llama failed to deploy gpt2 @ 11c5a3d",
    ]);
    expect(
      failedPlan.find((effect) => effect.type === "update-issue")?.body,
    ).toMatchInlineSnapshot(`
      "## 🔴 Failed

      | | |
      | --- | --- |
      | **Endpoint** | \`acme/chat-llama\` |
      | **Model** | [gpt2](https://huggingface.co/gpt2) @ [\`11c5a3d\`](https://huggingface.co/gpt2/tree/11c5a3d5811f50298f278a704980280950aedb10) |
      | **Task** | text-generation |
      | **Hardware** | cpu · intel-icl x2 |
      | **Replicas** | 0 ready / 1 target |
      | **URL** | — |
      | **Last message** | Out of memory \\| loading shards |
      | **Updated** | 2025-03-01 09:05:00 UTC |

      ### History

      | When | State | Message |
      | --- | --- | --- |
      | 2025-03-01 09:05:00 UTC | 🔴 Failed | Out of memory \\| loading shards |
      | 2025-03-01 09:04:00 UTC | 🟢 Running | Endpoint is ready |
      | 2025-03-01 09:03:00 UTC | ⏸️ Paused | Endpoint is paused |
      | 2025-03-01 09:02:00 UTC | 🟢 Running | Endpoint is ready |
      | 2025-03-01 09:01:00 UTC | 🔄 Initializing | Endpoint is initializing |
      | 2025-03-01 09:00:00 UTC | ⏳ Pending | Endpoint waiting to be scheduled |

      <sub>Kept up to date by hf-github-bridge from the Inference Endpoints API; edits to this text are overwritten.</sub>"
    `);
    expect(
      failedPlan.find((effect) => effect.type === "create-comment")?.body,
    ).toMatchInlineSnapshot(`
      "🔴 Failed: \`acme/chat-llama\` (was running).

      > Out of memory \\| loading shards

      Revision \`11c5a3d5811f50298f278a704980280950aedb10\` · 2025-03-01 09:05:00 UTC"
    `);
    await watcher.pollOnce();
    expect(await claimAll()).toStrictEqual([]);

    const recovered = await step(watcher, "running");
    expect(recovered).toMatchObject({
      transition: "failed → running",
      effects: [
        `${title} [endpoint:running]`,
        "update-issue body: ## 🟢 Running",
        "remove-labels endpoint:failed",
        "add-labels endpoint:running",
        "comment: 🟢 Running again: `acme/chat-llama` recovered (was failed).",
        "check run success on 11c5a3d: acme/chat-llama is running gpt2 @ 11c5a3d",
      ],
    });
    expect(recovered.event.endpoint).toMatchObject({ url: RUNNING_URL, readyReplica: 1 });
    expect(recovered.event.history?.map((entry) => entry.state)).toStrictEqual([
      "pending",
      "initializing",
      "running",
      "paused",
      "running",
      "failed",
      "running",
    ]);
    const deliveries = await store.listDeliveries({ limit: 50 });
    expect(deliveries).toHaveLength(7);
    expect(deliveries.every((delivery) => delivery.duplicates === 0)).toBe(true);
  });

  it("alerts on updating → updateFailed", async () => {
    const watcher = poller();
    await step(watcher, "running");
    const updating = await step(watcher, "updating");
    expect(updating.effects).toStrictEqual([
      'create-issue "[Endpoint] acme/chat-llama" [endpoint:updating]',
      "update-issue body: ## 🔄 Updating",
      "remove-labels endpoint:running",
      "add-labels endpoint:updating",
    ]);
    const failed = await step(watcher, "updateFailed");
    expect(failed.transition).toBe("updating → updateFailed");
    expect(failed.effects.slice(2)).toStrictEqual([
      "remove-labels endpoint:updating",
      "add-labels endpoint:updateFailed",
      "comment: 🔴 Update failed: `acme/chat-llama` (was updating).",
      expect.stringMatching(/^dispatch hf\.endpoint\.failed .*"state":"updateFailed"/),
      "check run failure on 11c5a3d: acme/chat-llama failed to deploy gpt2 @ 11c5a3d",
    ]);
  });

  it("records nothing twice when the process stops between queuing an event and saving the state", async () => {
    const watcher = poller();
    api.advance(NS, "chat-llama", "running");
    await watcher.pollOnce();
    const stateBefore = await store.getState("endpoint:acme/chat-llama");
    api.advance(NS, "chat-llama", "failed");
    await watcher.pollOnce();
    expect(queued.map((event) => event.endpoint.state)).toStrictEqual(["running", "failed"]);
    // As if the state write never happened: the delivery is durable, the state is the old one.
    await store.setState("endpoint:acme/chat-llama", stateBefore);

    await poller().pollOnce();
    expect(queued).toHaveLength(2);
    const deliveries = await store.listDeliveries({ limit: 10 });
    expect(deliveries.map((delivery) => delivery.duplicates).sort()).toStrictEqual([0, 1]);
    expect(await store.getState("endpoint:acme/chat-llama")).toMatchObject({
      snapshot: { state: "failed" },
    });
  });

  it("closes the card of an endpoint that left the namespace, once", async () => {
    const watcher = poller();
    api.advance(NS, "chat-llama", "running");
    api.advance(NS, "chat-mistral", "paused");
    await watcher.pollOnce();
    api.remove(NS, "chat-mistral");
    await watcher.pollOnce();
    await watcher.pollOnce();
    const deleted = queued.slice(2);
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({
      previousState: "paused",
      endpoint: { name: "chat-mistral", state: "deleted" },
    });
    const effects = planEndpointEffects(deleted[0] as EndpointEvent, CONFIG).effects;
    expect(describeEffects(effects)).toStrictEqual([
      'create-issue "[Endpoint] acme/chat-mistral" [endpoint:deleted]',
      "update-issue body: ## 🗑️ Deleted",
      "remove-labels endpoint:paused",
      "add-labels endpoint:deleted",
      "comment: 🗑️ Deleted: `acme/chat-mistral` is no longer listed in its namespace, so this card is closed.",
      "close-issue",
    ]);
  });

  it("watches only the configured names and keeps secrets out of stored deliveries", async () => {
    const watcher = poller();
    api.advance(NS, "chat-llama", "running");
    api.advance(NS, "batch-embedder", "running");
    await watcher.pollOnce();
    expect(queued.map((event) => event.endpoint.name)).toStrictEqual(["chat-llama"]);
    await store.close();
    const db = new DatabaseSync(join(dir, "bridge.sqlite"));
    const rows = db
      .prepare("SELECT body, body_packed FROM deliveries")
      .all()
      .map((row) => storedText(row.body_packed, row.body));
    db.close();
    store = await createSqliteStore({ path: join(dir, "bridge.sqlite") });
    expect(rows).toHaveLength(1);
    const body = rows[0] ?? "";
    expect(body).not.toContain("my-token");
    expect(body).not.toContain("hf_env_secret");
    expect(JSON.parse(body)).toMatchObject({ name: "chat-llama", model: { repository: "gpt2" } });
  });

  it("costs one list request per interval for 50 endpoints", async () => {
    const watcher = poller({
      config: configSchema.parse({ endpoints: [{ namespace: NS, github: "acme/endpoints" }] }),
    });
    for (let index = 0; index < 50; index++) api.advance(NS, `ep-${index}`, "running");
    await watcher.pollOnce();
    expect(queued).toHaveLength(50);
    for (let index = 0; index < 50; index += 5) api.advance(NS, `ep-${index}`, "paused");
    await watcher.pollOnce();
    await watcher.pollOnce();
    expect(queued).toHaveLength(60);
    expect(api.listRequests(NS)).toBe(3);
    expect(api.unauthorizedRequests()).toBe(0);
  });
});

describe("endpoint poller schedule", () => {
  /** Timers that fire only when the test says so, and remember the delays they were given. */
  function manualClock() {
    const pending: Array<{ callback: () => void; ms: number }> = [];
    let scheduled: ((ms: number) => void) | undefined;
    const clock: PollerClock = {
      now: () => new Date("2025-03-01T12:00:00Z"),
      setTimeout: (callback, ms) => {
        const timer = { callback, ms };
        pending.push(timer);
        scheduled?.(ms);
        return timer;
      },
      clearTimeout: (handle) => {
        const index = pending.indexOf(handle as (typeof pending)[number]);
        if (index >= 0) pending.splice(index, 1);
      },
    };
    /** Fires the next timer and resolves with the delay the poll it started chose for the one after. */
    function fireNext(): Promise<number> {
      const timer = pending.shift();
      if (!timer) throw new Error("no timer is scheduled");
      const next = new Promise<number>((resolve) => {
        scheduled = resolve;
      });
      timer.callback();
      return next;
    }
    return { clock, pending, fireNext };
  }

  it("polls faster while an endpoint is transitional, backs off on errors and honours Retry-After on 429", async () => {
    const { clock, pending, fireNext } = manualClock();
    const watcher = poller({ clock });
    api.advance(NS, "chat-llama", "initializing");
    watcher.start();
    expect(pending.map((timer) => timer.ms)).toStrictEqual([0]);

    expect(await fireNext()).toBe(5_000);
    api.advance(NS, "chat-llama", "running");
    expect(await fireNext()).toBe(30_000);

    api.failNext(NS, { status: 500 });
    expect(await fireNext()).toBe(60_000);
    api.failNext(NS, { status: 500 });
    expect(await fireNext()).toBe(120_000);
    api.failNext(NS, { status: 429, retryAfter: "900" });
    expect(await fireNext()).toBe(900_000);
    api.failNext(NS, { status: 429 });
    expect(await fireNext()).toBe(480_000);
    expect(await fireNext()).toBe(30_000);

    expect(api.listRequests(NS)).toBe(7);
    expect(queued.map((event) => event.endpoint.state)).toStrictEqual(["initializing", "running"]);
    await watcher.stop();
    expect(pending).toHaveLength(0);
  });

  it("backs off when the token is refused, without sending it anywhere but the header", async () => {
    const watcher = createEndpointPoller({
      store,
      config: CONFIG,
      fetch,
      baseUrl: api.baseUrl,
      token: "hf_wrong_token",
      logger: createLogger({ level: "silent" }),
    });
    const [report] = await watcher.pollOnce();
    expect(report).toMatchObject({ ok: false, queued: 0, nextDelayMs: 60_000 });
    expect(report?.error).toBe(
      "GET /v2/endpoint/acme answered 401; check that the Hub token can read this namespace's Inference Endpoints",
    );
    expect(api.unauthorizedRequests()).toBe(1);
  });
});
