import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.ts";
import type { BridgeEvent } from "../../src/events/bridge-event.ts";
import {
  createEndpointPoller,
  type EndpointPoller,
} from "../../src/pollers/create-endpoint-poller.ts";
import { planEndpointEffects } from "../../src/rules/plan-endpoint-effects.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import {
  type ExecutorHarness,
  settle,
  startExecutorHarness,
} from "../github/executor/executor-harness.ts";
import {
  type FakeEndpointsApi,
  startFakeEndpointsApi,
} from "../support/fake-endpoints-api/start-fake-endpoints-api.ts";

type EndpointEvent = Extract<BridgeEvent, { kind: "endpoint.state-changed" }>;

const TOKEN = "hf_card_test_token";
const CONFIG = configSchema.parse({
  endpoints: [{ namespace: "acme", names: ["chat"], github: "acme/app" }],
});

let h: ExecutorHarness;
let api: FakeEndpointsApi;
let poller: EndpointPoller;
let events: EndpointEvent[];

beforeEach(async () => {
  h = await startExecutorHarness();
  api = await startFakeEndpointsApi({ token: TOKEN });
  events = [];
  poller = createEndpointPoller({
    store: h.store,
    config: CONFIG,
    fetch,
    baseUrl: api.baseUrl,
    token: TOKEN,
    logger: createLogger({ level: "silent" }),
    onEvents: (queued) => events.push(...(queued as EndpointEvent[])),
  });
});

afterEach(async () => {
  h.github.expectNoViolations();
  await api.close();
  await h.close();
});

/** One poll, and every effect planned for what it queued executed against the fake GitHub. */
async function pollAndExecute(): Promise<void> {
  const before = events.length;
  await settle(poller.pollOnce());
  for (const event of events.slice(before)) {
    for (const effect of planEndpointEffects(event, CONFIG).effects) await h.run(effect);
  }
}

function card() {
  const issues = [...(h.github.state.repos.get("acme/app")?.issues.values() ?? [])];
  expect(issues).toHaveLength(1);
  return issues[0];
}

function comments(): string[] {
  return [...h.github.state.comments.values()].map((comment) => comment.body.split("\n")[0] ?? "");
}

describe("an endpoint's card on the fake GitHub", () => {
  it("is created once, relabelled per state, alerted on failure and closed on deletion", async () => {
    api.advance("acme", "chat", "pending");
    await pollAndExecute();
    expect(card()).toMatchObject({
      title: "[Endpoint] acme/chat",
      state: "open",
      labels: ["endpoint:pending"],
    });

    api.advance("acme", "chat", "running");
    await pollAndExecute();
    expect(card()?.labels).toStrictEqual(["endpoint:running"]);
    expect(card()?.body).toContain("## 🟢 Running");

    api.advance("acme", "chat", "failed");
    await pollAndExecute();
    expect(card()?.labels).toStrictEqual(["endpoint:failed"]);
    expect(h.github.state.repos.get("acme/app")?.dispatches).toMatchObject([
      {
        event_type: "hf.endpoint.failed",
        client_payload: { state: "failed", previousState: "running" },
      },
    ]);

    api.advance("acme", "chat", "running");
    await pollAndExecute();
    api.remove("acme", "chat");
    await pollAndExecute();
    await pollAndExecute();
    expect(card()).toMatchObject({ state: "closed", labels: ["endpoint:deleted"] });
    expect(comments()).toStrictEqual([
      "🟢 Running: `acme/chat` (was pending).",
      "🔴 Failed: `acme/chat` (was running).",
      "🟢 Running again: `acme/chat` recovered (was failed).",
      "🗑️ Deleted: `acme/chat` is no longer listed in its namespace, so this card is closed.",
    ]);
    expect(events.map((event) => event.endpoint.state)).toStrictEqual([
      "pending",
      "running",
      "failed",
      "running",
      "deleted",
    ]);
  });
});
