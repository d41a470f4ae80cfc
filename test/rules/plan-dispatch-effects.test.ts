import { describe, expect, it } from "vitest";
import { type Route, routeSchema } from "../../src/config/config-schema.ts";
import type { BridgeEvent } from "../../src/events/bridge-event.ts";
import { dispatchId } from "../../src/rules/dispatch-id.ts";
import { planDispatchEffects } from "../../src/rules/plan-dispatch-effects.ts";
import { fixtureEvent } from "../support/fixtures.ts";

type ContentUpdated = Extract<BridgeEvent, { kind: "content.updated" }>;

const GPT2_ID = "621ffdc036468d709f17434d";
const GPT2_URL = "https://huggingface.co/openai-community/gpt2";
const NEW = "575db8b7a51b6f85eb06eee540738584589f131c";
const OLD = "ce9a4674fa833a68d5a73ec355f0ea95eedd60b7";
const GONE = "aaaaaaaa11111111aaaaaaaa11111111aaaaaaaa";
const ACME = { owner: "acme", repo: "models" };

function route(dispatch: Record<string, unknown>[], fields: Record<string, unknown> = {}): Route {
  return routeSchema.parse({
    hub: "openai-community/*",
    github: "acme/models",
    dispatch,
    ...fields,
  });
}

/** Hookdeck's sample push: main updated, tag v1 created, branch old deleted, on gpt2. */
function push(): ContentUpdated {
  const event = fixtureEvent("hookdeck-repo.content-update-refs.json");
  if (event.kind !== "content.updated") throw new Error(`unexpected kind ${event.kind}`);
  return event;
}

describe("planDispatchEffects", () => {
  it("sends a repository dispatch for main by default, with the change and a dispatchId", () => {
    const key = `repository-dispatch:acme/models:0:refs/heads/main:${OLD}:${NEW}`;
    expect(planDispatchEffects(push(), [route([{}])])).toStrictEqual({
      effects: [
        {
          type: "repository-dispatch",
          idempotencyKey: key,
          repo: ACME,
          eventType: "hf.model.updated",
          clientPayload: {
            hf: {
              repo: "openai-community/gpt2",
              type: "model",
              ref: "refs/heads/main",
              oldSha: OLD,
              newSha: NEW,
              url: GPT2_URL,
              commitUrl: `${GPT2_URL}/commit/${NEW}`,
            },
            dispatchId: dispatchId(GPT2_ID, key),
          },
        },
      ],
    });
  });

  it("matches refs by glob, gives a deleted ref no commit link, and keys each rule by its index", () => {
    const plan = planDispatchEffects(push(), [
      route([{ refs: ["refs/tags/*"], eventType: "tagged" }, { refs: ["refs/heads/*"] }]),
    ]);
    expect(plan.effects.map((effect) => [effect.type, effect.idempotencyKey])).toStrictEqual([
      ["repository-dispatch", `repository-dispatch:acme/models:0:refs/tags/v1:-:${NEW}`],
      ["repository-dispatch", `repository-dispatch:acme/models:1:refs/heads/main:${OLD}:${NEW}`],
      ["repository-dispatch", `repository-dispatch:acme/models:1:refs/heads/old:${GONE}:-`],
    ]);
    const [tag, , deleted] = plan.effects;
    expect(tag?.type === "repository-dispatch" && tag.eventType).toBe("tagged");
    expect(deleted?.type === "repository-dispatch" && deleted.clientPayload.hf).toStrictEqual({
      repo: "openai-community/gpt2",
      type: "model",
      ref: "refs/heads/old",
      oldSha: GONE,
      newSha: null,
      url: GPT2_URL,
      commitUrl: null,
    });
  });

  it("starts a workflow with its inputs filled in exactly, a deleted ref's sha empty", () => {
    const rule = {
      refs: ["refs/heads/*"],
      workflow: "retrain.yml",
      workflowRef: "release",
      inputs: { target: "{{repo}}@{{ref}}", sha: "{{newSha}}", id: "{{dispatchId}}", fixed: "x" },
    };
    const { effects } = planDispatchEffects(push(), [route([rule])]);
    const mainKey = `workflow-dispatch:acme/models:0:refs/heads/main:${OLD}:${NEW}`;
    const oldKey = `workflow-dispatch:acme/models:0:refs/heads/old:${GONE}:-`;
    expect(effects).toStrictEqual([
      {
        type: "workflow-dispatch",
        idempotencyKey: mainKey,
        repo: ACME,
        workflow: "retrain.yml",
        ref: "release",
        inputs: {
          target: "openai-community/gpt2@refs/heads/main",
          sha: NEW,
          id: dispatchId(GPT2_ID, mainKey),
          fixed: "x",
        },
      },
      {
        type: "workflow-dispatch",
        idempotencyKey: oldKey,
        repo: ACME,
        workflow: "retrain.yml",
        ref: "release",
        inputs: {
          target: "openai-community/gpt2@refs/heads/old",
          sha: "",
          id: dispatchId(GPT2_ID, oldKey),
          fixed: "x",
        },
      },
    ]);
  });

  it("starts a workflow without inputs when the rule gives none", () => {
    const [effect] = planDispatchEffects(push(), [route([{ workflow: "retrain.yml" }])]).effects;
    expect(effect).toStrictEqual({
      type: "workflow-dispatch",
      idempotencyKey: `workflow-dispatch:acme/models:0:refs/heads/main:${OLD}:${NEW}`,
      repo: ACME,
      workflow: "retrain.yml",
      ref: "main",
    });
  });

  it("leaves path filters to the executor, carrying the commits to compare", () => {
    const filtered = planDispatchEffects(push(), [
      route([
        { paths: ["data/**"], pathsIgnore: ["**/*.md"] },
        { workflow: "docs.yml", pathsIgnore: ["src/**"] },
      ]),
    ]);
    const [both, ignoreOnly] = filtered.effects;
    expect(both?.type === "repository-dispatch" && both.pathFilter).toStrictEqual({
      hubRepo: { type: "model", name: "openai-community/gpt2" },
      oldSha: OLD,
      newSha: NEW,
      paths: ["data/**"],
      pathsIgnore: ["**/*.md"],
    });
    expect(ignoreOnly?.type === "workflow-dispatch" && ignoreOnly.pathFilter).toStrictEqual({
      hubRepo: { type: "model", name: "openai-community/gpt2" },
      oldSha: OLD,
      newSha: NEW,
      pathsIgnore: ["src/**"],
    });
    const [plain] = planDispatchEffects(push(), [route([{}])]).effects;
    expect(plain && "pathFilter" in plain).toBe(false);
  });

  it("applies a rule only to the repo types and names it lists (names ignore case)", () => {
    const rules = [
      { types: ["dataset"], eventType: "data" },
      { repos: ["OpenAI-Community/GPT*"], eventType: "named" },
      { repos: ["openai-community/bert*"], eventType: "other" },
      { types: ["model", "space"], eventType: "typed" },
    ];
    const { effects } = planDispatchEffects(push(), [route(rules)]);
    expect(
      effects.map((effect) => effect.type === "repository-dispatch" && effect.eventType),
    ).toEqual(["named", "typed"]);
  });

  it("dispatches for every matching route, in config order", () => {
    const routes = [route([{}]), route([{}], { github: "acme/other" }), route([], { hub: "x/*" })];
    const { effects } = planDispatchEffects(push(), routes);
    expect(effects.map((effect) => effect.repo.repo)).toStrictEqual(["models", "other"]);
  });

  it("uses the repo type in the default event type", () => {
    const dataset = fixtureEvent("composed-repo.content-update-private-dataset.json");
    if (dataset.kind !== "content.updated") throw new Error(`unexpected kind ${dataset.kind}`);
    const [effect] = planDispatchEffects(dataset, [route([{}], { hub: "some-user/*" })]).effects;
    expect(effect?.type === "repository-dispatch" && effect.eventType).toBe("hf.dataset.updated");
  });

  it("says why nothing is planned, most general reason first", () => {
    expect(planDispatchEffects(push(), [route([{}], { hub: "other/*" })])).toStrictEqual({
      effects: [],
      reason: 'no route matches model "openai-community/gpt2"',
    });
    expect(planDispatchEffects(push(), [route([])])).toStrictEqual({
      effects: [],
      reason: "no dispatch rule for this route",
    });
    expect(planDispatchEffects(push(), [route([{ types: ["space"] }])])).toStrictEqual({
      effects: [],
      reason: 'no dispatch rule covers model "openai-community/gpt2" (rule types/repos)',
    });
    expect(planDispatchEffects(push(), [route([{ refs: ["refs/pr/*"] }])])).toStrictEqual({
      effects: [],
      reason:
        "no updated ref matches a dispatch rule (updated: refs/heads/main, refs/tags/v1, refs/heads/old)",
    });
    expect(planDispatchEffects({ ...push(), refs: [] }, [route([{}])])).toStrictEqual({
      effects: [],
      reason: "no updated ref matches a dispatch rule (updated: none)",
    });
  });
});
