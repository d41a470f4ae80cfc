import { describe, expect, it } from "vitest";
import { type BridgeConfig, configSchema } from "../../src/config/config-schema.ts";
import type { BridgeEvent, EndpointSnapshot } from "../../src/events/bridge-event.ts";
import { planEffects } from "../../src/rules/plan-effects.ts";
import { planEndpointEffects } from "../../src/rules/plan-endpoint-effects.ts";

type EndpointEvent = Extract<BridgeEvent, { kind: "endpoint.state-changed" }>;

const CARD = "endpoint-card:acme/chat";
const UPDATED = "2025-03-01T10:00:00.000Z";

function config(watch: Record<string, unknown> = {}): BridgeConfig {
  return configSchema.parse({
    endpoints: [{ namespace: "acme", names: ["chat"], github: "acme/ops", ...watch }],
  });
}

function event(
  state: string,
  previousState?: string,
  extra: Partial<EndpointSnapshot> = {},
): EndpointEvent {
  return {
    kind: "endpoint.state-changed",
    endpoint: { namespace: "acme", name: "chat", state, updatedAt: UPDATED, ...extra },
    ...(previousState ? { previousState } : {}),
    history: [{ state, at: UPDATED }],
  };
}

/** Plans twice, once on a copy: the planner is pure, so both plans are equal. */
function plan(input: EndpointEvent, bridgeConfig: BridgeConfig = config()) {
  const first = planEndpointEffects(input, bridgeConfig);
  expect(planEndpointEffects(structuredClone(input), bridgeConfig)).toStrictEqual(first);
  return first;
}

function types(input: EndpointEvent, bridgeConfig?: BridgeConfig): string[] {
  return plan(input, bridgeConfig).effects.map((effect) => effect.type);
}

describe("planEndpointEffects", () => {
  it("links the model and its commit on the Hub the bridge uses (HF_ENDPOINT)", () => {
    const revision = "11c5a3d5811f50298f278a704980280950aedb10";
    const running = event("running", "initializing", { repository: "acme/gpt", revision });
    const { effects } = planEffects(running, config(), { hubUrl: "https://hub.example.test/" });
    const text = JSON.stringify(effects);
    expect(text).toContain(`https://hub.example.test/acme/gpt/tree/${revision}`);
    expect(text).toContain(`https://hub.example.test/acme/gpt/commit/${revision}`);
    expect(text).not.toContain("https://huggingface.co");
  });

  it("makes a card without alerts for an endpoint first seen running", () => {
    expect(types(event("running"))).toStrictEqual(["create-issue", "update-issue", "add-labels"]);
  });

  it("alerts for an endpoint first seen failed: it may have failed while the bridge was down", () => {
    expect(types(event("failed"))).toStrictEqual([
      "create-issue",
      "update-issue",
      "add-labels",
      "create-comment",
      "repository-dispatch",
    ]);
  });

  it("follows commentOn and dispatchOn, and the configured event type", () => {
    const quiet = config({
      commentOn: ["paused"],
      dispatchOn: ["running"],
      dispatchEventType: "ops.up",
    });
    expect(types(event("failed", "running"), quiet)).toStrictEqual([
      "create-issue",
      "update-issue",
      "remove-labels",
      "add-labels",
    ]);
    const effects = plan(event("running", "failed"), quiet).effects;
    expect(effects.map((effect) => effect.type)).toContain("repository-dispatch");
    expect(effects.find((effect) => effect.type === "repository-dispatch")).toMatchObject({
      eventType: "ops.up",
      repo: { owner: "acme", repo: "ops" },
    });
    expect(types(event("paused", "running"), quiet)).toContain("create-comment");
  });

  it("treats paused and scaledToZero as resting states: a label, no alert, no close", () => {
    for (const state of ["paused", "scaledToZero"]) {
      expect(types(event(state, "running"))).toStrictEqual([
        "create-issue",
        "update-issue",
        "remove-labels",
        "add-labels",
      ]);
    }
  });

  it("gives each transition its own idempotency keys, and a revision change only a new body", () => {
    const first = plan(event("running", "failed")).effects.map((effect) => effect.idempotencyKey);
    const later = plan(
      event("running", "failed", { updatedAt: "2025-03-02T10:00:00.000Z" }),
    ).effects.map((effect) => effect.idempotencyKey);
    expect(first[0]).toBe(`create-issue:${CARD}`);
    expect(later[0]).toBe(first[0]);
    expect(later.slice(1).filter((key) => first.includes(key))).toStrictEqual([]);
    expect(types(event("running", "running", { revision: "abc" }))).toStrictEqual([
      "create-issue",
      "update-issue",
    ]);
  });

  it("reopens the card of an endpoint created again after deletion", () => {
    expect(types(event("pending", "deleted"))).toStrictEqual([
      "create-issue",
      "update-issue",
      "reopen-issue",
      "remove-labels",
      "add-labels",
    ]);
  });

  it("shows a state it does not know as the API spells it", () => {
    const body = plan(event("migrating", "running")).effects.find(
      (effect) => effect.type === "update-issue",
    )?.body;
    expect(body?.split("\n")[0]).toBe("## ❔ migrating");
  });

  it("keeps API text from breaking the card or pinging GitHub users", () => {
    const body = plan(
      event("failed", "running", { message: "ask @octocat\n<img src=x> | retry" }),
    ).effects.find((effect) => effect.type === "update-issue")?.body;
    expect(body).toContain("| **Last message** | ask @\u200boctocat \\<img src=x\\> \\| retry |");
  });

  it("explains why an endpoint no config entry watches gets nothing", () => {
    const other = {
      ...event("failed"),
      endpoint: { namespace: "acme", name: "batch", state: "failed" },
    };
    expect(plan(other)).toStrictEqual({
      effects: [],
      reason: 'no endpoints[] entry watches "acme/batch"; add its namespace and name to the config',
    });
  });
});

describe("planEndpointEffects: check run on the model revision", () => {
  const SHA = "0123456789abcdef0123456789abcdef01234567";
  const model = { repository: "acme/llm", revision: SHA };

  function checkRuns(input: EndpointEvent) {
    return plan(input).effects.filter((effect) => effect.type === "create-check-run");
  }

  it("reports entering running as success and a failure as failure, matched without a branch head", () => {
    const [running] = checkRuns(event("running", "initializing", model));
    expect(running).toMatchObject({
      repo: { owner: "acme", repo: "ops" },
      name: "Inference Endpoint acme/chat",
      headSha: SHA,
      status: "completed",
      conclusion: "success",
      output: { title: "acme/chat is running acme/llm @ 0123456" },
      commitMatch: { hubRepo: { name: "acme/llm", type: "model" }, hubSha: SHA },
    });
    expect(running?.type === "create-check-run" && running.commitMatch).not.toHaveProperty(
      "fallbackBranch",
    );
    const [failed] = checkRuns(event("updateFailed", "updating", model));
    expect(failed).toMatchObject({ conclusion: "failure" });
    expect(failed?.type === "create-check-run" && failed.link).not.toBe(
      running?.type === "create-check-run" && running.link,
    );
  });

  it("writes none for other states, a repeated state, or a revision that is not a full SHA", () => {
    expect(checkRuns(event("paused", "running", model))).toStrictEqual([]);
    expect(checkRuns(event("running", "running", model))).toStrictEqual([]);
    expect(checkRuns(event("running", "pending", { ...model, revision: "main" }))).toStrictEqual(
      [],
    );
    expect(checkRuns(event("running", "pending", { revision: SHA }))).toStrictEqual([]);
  });
});
