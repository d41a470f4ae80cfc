import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type BridgeConfig, configSchema } from "../../src/config/config-schema.ts";
import { parseEndpoint } from "../../src/endpoints/parse-endpoint.ts";
import type {
  BridgeEvent,
  EndpointSnapshot,
  EndpointTransition,
} from "../../src/events/bridge-event.ts";
import { planEndpointEffects } from "../../src/rules/plan-endpoint-effects.ts";
import { readFixture } from "../support/fixtures.ts";

type EndpointEvent = Extract<BridgeEvent, { kind: "endpoint.state-changed" }>;

const OPS = { owner: "acme", repo: "ops" };
const CARD = "endpoint-card:acme/my-endpoint-name";
const REVISION = "11c5a3d5811f50298f278a704980280950aedb10";
const UPDATED = "2023-10-26T12:41:53.263Z";
const ENDPOINT_URL = "https://vksrvs8pc1xnifhq.us-east-1.aws.endpoints.huggingface.cloud";
/** A bare Hub URL is written as an autolink, so GitHub links exactly it. */
const ENDPOINT_LINK = `<${ENDPOINT_URL}/>`;
const FOOTER =
  "<sub>Kept up to date by hf-github-bridge from the Inference Endpoints API; edits to this text are overwritten.</sub>";

function config(...watches: Record<string, unknown>[]): BridgeConfig {
  const endpoints = watches.length > 0 ? watches : [{}];
  return configSchema.parse({
    endpoints: endpoints.map((watch) => ({ namespace: "acme", github: "acme/ops", ...watch })),
  });
}

/** The huggingface_hub mock of GET /endpoint in a state, as the poller reads it. */
function snapshot(state: "running" | "failed" | "pending" | "updating"): EndpointSnapshot {
  const parsed = parseEndpoint(readFixture(`hfhub-ie-api-get-endpoint-${state}.json`), "acme");
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.snapshot;
}

function event(
  endpoint: EndpointSnapshot,
  previousState?: string,
  history: EndpointTransition[] = [{ state: endpoint.state, at: UPDATED }],
): EndpointEvent {
  return {
    kind: "endpoint.state-changed",
    endpoint,
    ...(previousState ? { previousState } : {}),
    history,
  };
}

function hash16(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function cardBody(effects: ReturnType<typeof planEndpointEffects>["effects"]): string {
  const [card] = effects;
  if (card?.type !== "create-issue") throw new Error(`first effect is ${card?.type}`);
  return card.body;
}

describe("planEndpointEffects", () => {
  it("keeps the card, moves its label, comments and reports on the model commit when an endpoint starts running", () => {
    const running = snapshot("running");
    const transition = `${CARD}:running@${running.updatedAt}`;
    const history = [
      { state: "updating", at: "2023-10-26T12:30:00Z" },
      { state: "running", at: UPDATED, message: "Endpoint is ready" },
    ];
    const { effects, reason } = planEndpointEffects(
      event(running, "updating", history),
      config(),
      "https://hub.example.test//",
    );
    const body = [
      "## 🟢 Running",
      [
        "| | |",
        "| --- | --- |",
        "| **Endpoint** | `acme/my-endpoint-name` |",
        `| **Model** | [gpt2](https://hub.example.test/gpt2) @ [\`11c5a3d\`](https://hub.example.test/gpt2/tree/${REVISION}) |`,
        "| **Task** | text-generation |",
        "| **Hardware** | cpu · intel-icl x2 |",
        "| **Replicas** | 1 ready / 1 target |",
        `| **URL** | ${ENDPOINT_LINK} |`,
        "| **Last message** | Endpoint is ready |",
        "| **Updated** | 2023-10-26 12:41:53 UTC |",
      ].join("\n"),
      "### History",
      [
        "| When | State | Message |",
        "| --- | --- | --- |",
        "| 2023-10-26 12:41:53 UTC | 🟢 Running | Endpoint is ready |",
        "| 2023-10-26 12:30:00 UTC | 🔄 Updating | — |",
      ].join("\n"),
      FOOTER,
    ].join("\n\n");
    expect(reason).toBeUndefined();
    expect(effects).toStrictEqual([
      {
        type: "create-issue",
        idempotencyKey: `create-issue:${CARD}`,
        repo: OPS,
        link: CARD,
        title: "[Endpoint] acme/my-endpoint-name",
        body,
        labels: ["endpoint:running"],
      },
      {
        type: "update-issue",
        idempotencyKey: `update-issue:${CARD}:${hash16(body)}`,
        repo: OPS,
        issue: CARD,
        body,
      },
      {
        type: "remove-labels",
        idempotencyKey: `remove-labels:${transition}`,
        repo: OPS,
        issue: CARD,
        labels: ["endpoint:updating"],
      },
      {
        type: "add-labels",
        idempotencyKey: `add-labels:${transition}`,
        repo: OPS,
        issue: CARD,
        labels: ["endpoint:running"],
      },
      {
        type: "create-comment",
        idempotencyKey: `create-comment:${transition}:comment`,
        repo: OPS,
        issue: CARD,
        link: `${transition}:comment`,
        body: [
          "🟢 Running: `acme/my-endpoint-name` (was updating).",
          "> Endpoint is ready",
          `Revision \`${REVISION}\` · 2023-10-26 12:41:53 UTC`,
        ].join("\n\n"),
      },
      {
        type: "create-check-run",
        idempotencyKey: `create-check-run:endpoint-check:${REVISION}:${transition}`,
        repo: OPS,
        link: `endpoint-check:${REVISION}:${transition}`,
        name: "Inference Endpoint acme/my-endpoint-name",
        headSha: REVISION,
        status: "completed",
        conclusion: "success",
        detailsUrl: "https://endpoints.huggingface.co/acme/endpoints/my-endpoint-name",
        output: {
          title: "acme/my-endpoint-name is running gpt2 @ 11c5a3d",
          summary: [
            "Endpoint: `acme/my-endpoint-name` — 🟢 Running",
            `Model: [gpt2](https://hub.example.test/gpt2) at [${REVISION}](https://hub.example.test/gpt2/commit/${REVISION})`,
            `URL: ${ENDPOINT_LINK}`,
            "Message: Endpoint is ready",
          ].join("\n"),
        },
        commitMatch: {
          hubRepo: {
            id: "gpt2",
            name: "gpt2",
            type: "model",
            private: false,
            webUrl: "https://hub.example.test/gpt2",
          },
          hubRef: REVISION,
          hubSha: REVISION,
        },
      },
    ]);
  });

  it("alerts for an endpoint first seen failed, with a dispatch whose payload names the change", () => {
    const failed = snapshot("failed");
    const transition = `${CARD}:failed@${failed.updatedAt}`;
    const { effects } = planEndpointEffects(event(failed), config());
    expect(effects.map((effect) => effect.type)).toStrictEqual([
      "create-issue",
      "update-issue",
      "add-labels",
      "create-comment",
      "repository-dispatch",
      "create-check-run",
    ]);
    const [, , , comment, dispatch, checkRun] = effects;
    expect(comment?.type === "create-comment" && comment.body).toBe(
      [
        "🔴 Failed: `acme/my-endpoint-name`.",
        "> Endpoint failed to deploy",
        `Revision \`${REVISION}\` · 2023-10-26 12:41:53 UTC`,
      ].join("\n\n"),
    );
    expect(dispatch).toStrictEqual({
      type: "repository-dispatch",
      idempotencyKey: `repository-dispatch:${transition}`,
      repo: OPS,
      eventType: "hf.endpoint.failed",
      clientPayload: {
        dispatchId: expect.stringMatching(/^[0-9a-f]{16,}$/),
        endpoint: {
          namespace: "acme",
          name: "my-endpoint-name",
          repository: "gpt2",
          url: null,
        },
        state: "failed",
        previousState: null,
        message: "Endpoint failed to deploy",
        revision: REVISION,
      },
    });
    expect(checkRun).toMatchObject({
      conclusion: "failure",
      output: { title: "acme/my-endpoint-name failed to deploy gpt2 @ 11c5a3d" },
    });
    expect(checkRun?.type === "create-check-run" && checkRun.output.summary).not.toContain("URL:");
  });

  it("makes a card with no alert for an endpoint first seen in a state that is not an error", () => {
    const { effects } = planEndpointEffects(event(snapshot("pending")), config());
    expect(effects.map((effect) => effect.type)).toStrictEqual([
      "create-issue",
      "update-issue",
      "add-labels",
    ]);
    expect(cardBody(effects)).toContain("## ⏳ Pending");
    expect(cardBody(effects)).toContain("| **URL** | — |");
  });

  it("plans only the card when the state did not change", () => {
    const running = snapshot("running");
    const { effects } = planEndpointEffects(event(running, "running"), config());
    expect(effects.map((effect) => effect.type)).toStrictEqual(["create-issue", "update-issue"]);
  });

  it("follows commentOn, dispatchOn and dispatchEventType", () => {
    const watch = { commentOn: ["updating"], dispatchOn: ["running"], dispatchEventType: "ops.up" };
    const failed = planEndpointEffects(event(snapshot("failed"), "running"), config(watch));
    expect(failed.effects.map((effect) => effect.type)).toStrictEqual([
      "create-issue",
      "update-issue",
      "remove-labels",
      "add-labels",
      "create-check-run",
    ]);
    const running = planEndpointEffects(event(snapshot("running"), "failed"), config(watch));
    const dispatch = running.effects.find((effect) => effect.type === "repository-dispatch");
    expect(dispatch?.type === "repository-dispatch" && dispatch.eventType).toBe("ops.up");
    expect(running.effects.some((effect) => effect.type === "create-comment")).toBe(false);
    const updating = planEndpointEffects(event(snapshot("updating"), "running"), config(watch));
    const comment = updating.effects.find((effect) => effect.type === "create-comment");
    expect(comment?.type === "create-comment" && comment.body).toBe(
      [
        "🔄 Updating: `acme/my-endpoint-name` (was running).",
        "> Endpoint waiting for the update",
        `Revision \`${REVISION}\` · 2023-10-26 12:41:53 UTC`,
      ].join("\n\n"),
    );
  });

  it("says an endpoint that runs again after failing has recovered", () => {
    const { effects } = planEndpointEffects(event(snapshot("running"), "updateFailed"), config());
    const comment = effects.find((effect) => effect.type === "create-comment");
    expect(comment?.type === "create-comment" && comment.body.split("\n\n")[0]).toBe(
      "🟢 Running again: `acme/my-endpoint-name` recovered (was updateFailed).",
    );
    const removed = effects.find((effect) => effect.type === "remove-labels");
    expect(removed?.type === "remove-labels" && removed.labels).toStrictEqual([
      "endpoint:updateFailed",
    ]);
  });

  it("notes a deleted endpoint and closes its card, and reopens the card when it comes back", () => {
    const gone: EndpointSnapshot = {
      namespace: "acme",
      name: "my-endpoint-name",
      state: "deleted",
    };
    const deleted = planEndpointEffects(event(gone, "running", []), config({ commentOn: [] }));
    const transition = `${CARD}:deleted@-`;
    expect(deleted.effects.slice(2)).toStrictEqual([
      {
        type: "remove-labels",
        idempotencyKey: `remove-labels:${transition}`,
        repo: OPS,
        issue: CARD,
        labels: ["endpoint:running"],
      },
      {
        type: "add-labels",
        idempotencyKey: `add-labels:${transition}`,
        repo: OPS,
        issue: CARD,
        labels: ["endpoint:deleted"],
      },
      {
        type: "create-comment",
        idempotencyKey: `create-comment:${transition}:comment`,
        repo: OPS,
        issue: CARD,
        link: `${transition}:comment`,
        body: "🗑️ Deleted: `acme/my-endpoint-name` is no longer listed in its namespace, so this card is closed.",
      },
      {
        type: "close-issue",
        idempotencyKey: `close-issue:${transition}`,
        repo: OPS,
        issue: CARD,
        reason: "completed",
      },
    ]);
    expect(cardBody(deleted.effects)).toContain("_No transitions recorded yet._");

    const back = planEndpointEffects(event(snapshot("pending"), "deleted"), config());
    const pendingAt = `${CARD}:pending@${snapshot("pending").updatedAt}`;
    expect(back.effects[2]).toStrictEqual({
      type: "reopen-issue",
      idempotencyKey: `reopen-issue:${pendingAt}`,
      repo: OPS,
      issue: CARD,
    });
  });

  it("keys a transition by the endpoint's updatedAt, else by the last history entry", () => {
    const { updatedAt: _dropped, ...running } = snapshot("running");
    const history = [{ state: "running", at: "2023-10-27T08:00:00Z" }];
    const { effects } = planEndpointEffects(event(running, "updating", history), config());
    const added = effects.find((effect) => effect.type === "add-labels");
    expect(added?.idempotencyKey).toBe(`add-labels:${CARD}:running@2023-10-27T08:00:00Z`);
    expect(cardBody(effects)).toContain("| **Updated** | — |");
  });

  it("reports on a commit only for a full commit id of a known model", () => {
    const running = snapshot("running");
    const byBranch = planEndpointEffects(
      event({ ...running, revision: "main" }, "pending"),
      config(),
    );
    expect(byBranch.effects.some((effect) => effect.type === "create-check-run")).toBe(false);
    const { repository: _none, ...noModel } = running;
    const unknown = planEndpointEffects(event(noModel, "pending"), config());
    expect(unknown.effects.some((effect) => effect.type === "create-check-run")).toBe(false);
    expect(cardBody(unknown.effects)).toContain("| **Model** | — |");
    const paused = planEndpointEffects(event({ ...running, state: "paused" }, "running"), config());
    expect(paused.effects.some((effect) => effect.type === "create-check-run")).toBe(false);
  });

  it("shows what the API left out as a dash or a question mark, and unknown states as spelled", () => {
    const bare: EndpointSnapshot = {
      namespace: "acme",
      name: "my-endpoint-name",
      state: "hibernating",
      repository: "gpt2",
      accelerator: "gpu",
      targetReplica: 2,
      updatedAt: "yesterday",
    };
    const body = cardBody(planEndpointEffects(event(bare), config()).effects);
    expect(body.split("\n\n").slice(0, 2)).toStrictEqual([
      "## ❔ hibernating",
      [
        "| | |",
        "| --- | --- |",
        "| **Endpoint** | `acme/my-endpoint-name` |",
        "| **Model** | [gpt2](https://huggingface.co/gpt2) |",
        "| **Task** | — |",
        "| **Hardware** | gpu |",
        "| **Replicas** | ? ready / 2 target |",
        "| **URL** | — |",
        "| **Last message** | — |",
        "| **Updated** | yesterday |",
      ].join("\n"),
    ]);
  });

  it("sends null for what a bare endpoint leaves out of the dispatch, and reports a failure without a message", () => {
    const bare: EndpointSnapshot = {
      namespace: "acme",
      name: "my-endpoint-name",
      state: "updateFailed",
      repository: "gpt2",
      revision: REVISION,
      readyReplica: 0,
    };
    const { effects } = planEndpointEffects(
      { kind: "endpoint.state-changed", endpoint: bare },
      config(),
    );
    const dispatch = effects.find((effect) => effect.type === "repository-dispatch");
    expect(dispatch?.idempotencyKey).toBe(`repository-dispatch:${CARD}:updateFailed@-`);
    expect(dispatch?.type === "repository-dispatch" && dispatch.clientPayload).toMatchObject({
      endpoint: { namespace: "acme", name: "my-endpoint-name", repository: "gpt2", url: null },
      state: "updateFailed",
      previousState: null,
      message: null,
      revision: REVISION,
    });
    const checkRun = effects.find((effect) => effect.type === "create-check-run");
    expect(checkRun?.type === "create-check-run" && checkRun.output.summary).toBe(
      [
        "Endpoint: `acme/my-endpoint-name` — 🔴 Update failed",
        `Model: [gpt2](https://huggingface.co/gpt2) at [${REVISION}](https://huggingface.co/gpt2/commit/${REVISION})`,
      ].join("\n"),
    );
    expect(cardBody(effects)).toContain("| **Replicas** | 0 ready / ? target |");
    expect(cardBody(effects)).toContain("_No transitions recorded yet._");
  });

  it("gives the card to the first config entry watching the endpoint", () => {
    const plan = planEndpointEffects(
      event(snapshot("pending")),
      config({ names: ["other-*"], github: "acme/first" }, { names: ["my-*"] }, {}),
    );
    expect(plan.effects.every((effect) => effect.repo.repo === "ops")).toBe(true);
  });

  it("says which config is missing when no entry watches the endpoint", () => {
    const reason = {
      effects: [],
      reason:
        'no endpoints[] entry watches "acme/my-endpoint-name"; add its namespace and name to the config',
    };
    expect(
      planEndpointEffects(event(snapshot("running")), config({ names: ["chat"] })),
    ).toStrictEqual(reason);
    expect(
      planEndpointEffects(event(snapshot("running")), config({ namespace: "other" })),
    ).toStrictEqual(reason);
    expect(planEndpointEffects(event(snapshot("running")), configSchema.parse({}))).toStrictEqual(
      reason,
    );
  });
});
