import { describe, expect, it } from "vitest";
import { type Route, routeSchema } from "../../src/config/config-schema.ts";
import type { BridgeEvent } from "../../src/events/bridge-event.ts";
import { dispatchId } from "../../src/rules/dispatch-id.ts";
import { planPullRequestEffects } from "../../src/rules/plan-pull-request-effects.ts";
import { fixtureEvent } from "../support/fixtures.ts";

type ContentUpdated = Extract<BridgeEvent, { kind: "content.updated" }>;

const REPO_ID = "6366c000a2abcdf2fd69a080";
const SHA = "575db8b7a51b6f85eb06eee540738584589f131c";

function route(fields: Record<string, unknown> = {}): Route {
  return routeSchema.parse({
    hub: "some-user/*",
    github: "acme/widgets",
    pullRequests: { workflow: "hub-pr.yml" },
    ...fields,
  });
}

function contentFixture(name: string): ContentUpdated {
  const event = fixtureEvent(name);
  if (event.kind !== "content.updated") throw new Error(`${name} is ${event.kind}`);
  return event;
}

describe("planPullRequestEffects", () => {
  it("starts the route's workflow for a new Hub PR commit, behind the trust gate", () => {
    const event = contentFixture("composed-repo.content-update-pr-ref-create.json");
    const key = `workflow-dispatch:pr:acme/widgets:${REPO_ID}:3:${SHA}`;
    const trusted = route({
      pullRequests: { workflow: "hub-pr.yml", workflowRef: "ci", trusted: ["alice"] },
    });
    expect(planPullRequestEffects(event, [trusted])).toStrictEqual({
      effects: [
        {
          type: "workflow-dispatch",
          idempotencyKey: key,
          repo: { owner: "acme", repo: "widgets" },
          workflow: "hub-pr.yml",
          ref: "ci",
          inputs: {
            repo: "some-user/some-repo",
            type: "model",
            pr: "3",
            headSha: SHA,
            dispatchId: dispatchId(REPO_ID, key),
          },
          trustGate: {
            hubRepo: { type: "model", name: "some-user/some-repo" },
            num: 3,
            trusted: ["alice"],
            discussion: `hub-discussion:${REPO_ID}:3`,
          },
        },
      ],
    });
  });

  it("plans one run per route with pullRequests, each keyed by its GitHub repo", () => {
    const event = contentFixture("composed-repo.content-update-pr-ref-create.json");
    const routes = [route(), route({ github: "acme/other" }), route({ pullRequests: undefined })];
    const { effects } = planPullRequestEffects(event, routes);
    expect(effects.map((effect) => effect.idempotencyKey)).toStrictEqual([
      `workflow-dispatch:pr:acme/widgets:${REPO_ID}:3:${SHA}`,
      `workflow-dispatch:pr:acme/other:${REPO_ID}:3:${SHA}`,
    ]);
  });

  it("starts a Space's PR run the same way", () => {
    const event = contentFixture("hfhub-repo.content-update-space-pr-ref.json");
    const [effect] = planPullRequestEffects(event, [route({ hub: "Wauplin/*" })]).effects;
    expect(effect?.type === "workflow-dispatch" && effect.inputs).toMatchObject({
      repo: "Wauplin/gradio-user-history",
      type: "space",
      pr: "5",
    });
  });

  it("says so when the push updated no Hub pull request, or deleted its ref", () => {
    const reason = {
      effects: [],
      reason: "the push updated no Hub pull request (refs/pr/N)",
    };
    const branch = contentFixture("composed-repo.content-update-main-and-new-tag.json");
    expect(planPullRequestEffects(branch, [route()])).toStrictEqual(reason);
    const deleted = { ...branch, refs: [{ ref: "refs/pr/3", oldSha: SHA, newSha: null }] };
    expect(planPullRequestEffects(deleted, [route()])).toStrictEqual(reason);
    const nested = { ...branch, refs: [{ ref: "refs/pr/3/x", oldSha: null, newSha: SHA }] };
    expect(planPullRequestEffects(nested, [route()])).toStrictEqual(reason);
  });

  it("plans nothing, and says nothing, when no matching route has pullRequests", () => {
    const event = contentFixture("composed-repo.content-update-pr-ref-create.json");
    expect(planPullRequestEffects(event, [route({ pullRequests: undefined })])).toStrictEqual({
      effects: [],
    });
    expect(planPullRequestEffects(event, [route({ hub: "other/*" })])).toStrictEqual({
      effects: [],
    });
  });
});
