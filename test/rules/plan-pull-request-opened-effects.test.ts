import { describe, expect, it } from "vitest";
import { type Route, routeSchema } from "../../src/config/config-schema.ts";
import type { BridgeEvent } from "../../src/events/bridge-event.ts";
import { planPullRequestOpenedEffects } from "../../src/rules/plan-pull-request-opened-effects.ts";
import { fixtureEvent } from "../support/fixtures.ts";

type DiscussionEvent = Extract<BridgeEvent, { kind: "discussion.opened" | "discussion.updated" }>;

const REPO_ID = "621ffdc036468d709f17434d";

function route(fields: Record<string, unknown> = {}): Route {
  return routeSchema.parse({
    hub: "openai-community/*",
    github: "acme/widgets",
    pullRequests: { workflow: "hub-pr.yml", trusted: ["alice"] },
    ...fields,
  });
}

/** hubdocs' sample: an open (not draft) Hub pull request #19 on openai-community/gpt2. */
function openedPullRequest(): DiscussionEvent {
  const event = fixtureEvent("hubdocs-discussion-create-pr.json");
  if (event.kind !== "discussion.opened") throw new Error(`unexpected kind ${event.kind}`);
  return event;
}

describe("planPullRequestOpenedEffects", () => {
  it("starts the CI run of a PR opened ready, its head read from the Hub when the effect runs", () => {
    expect(planPullRequestOpenedEffects(openedPullRequest(), [route()])).toStrictEqual({
      effects: [
        {
          type: "workflow-dispatch",
          idempotencyKey: `workflow-dispatch:pr-ready:acme/widgets:${REPO_ID}:19:discussion.opened`,
          repo: { owner: "acme", repo: "widgets" },
          workflow: "hub-pr.yml",
          ref: "main",
          inputs: { repo: "openai-community/gpt2", type: "model", pr: "19" },
          trustGate: {
            hubRepo: { type: "model", name: "openai-community/gpt2" },
            num: 19,
            trusted: ["alice"],
            discussion: `hub-discussion:${REPO_ID}:19`,
            headFromHub: { repoId: REPO_ID, github: "acme/widgets" },
          },
        },
      ],
    });
  });

  it("starts it when a draft is made ready, under the update's own key", () => {
    const opened = openedPullRequest();
    const ready: DiscussionEvent = {
      kind: "discussion.updated",
      repo: opened.repo,
      discussion: opened.discussion,
    };
    const [effect] = planPullRequestOpenedEffects(ready, [route()]).effects;
    expect(effect?.idempotencyKey).toBe(
      `workflow-dispatch:pr-ready:acme/widgets:${REPO_ID}:19:discussion.updated`,
    );
  });

  it("plans one run per matching route with pullRequests", () => {
    const routes = [route(), route({ pullRequests: undefined }), route({ github: "acme/other" })];
    const { effects } = planPullRequestOpenedEffects(openedPullRequest(), routes);
    expect(effects.map((effect) => effect.repo)).toStrictEqual([
      { owner: "acme", repo: "widgets" },
      { owner: "acme", repo: "other" },
    ]);
  });

  it("starts nothing for a draft, a plain discussion, or where no route runs PR CI", () => {
    const draft = fixtureEvent("composed-discussion-create-draft-pr.json");
    if (draft.kind !== "discussion.opened") throw new Error(`unexpected kind ${draft.kind}`);
    expect(planPullRequestOpenedEffects(draft, [route({ hub: "some-user/*" })])).toStrictEqual({
      effects: [],
    });
    const plain = fixtureEvent("composed-discussion-create-plain-discussion.json");
    if (plain.kind !== "discussion.opened") throw new Error(`unexpected kind ${plain.kind}`);
    expect(planPullRequestOpenedEffects(plain, [route({ hub: "some-user/*" })])).toStrictEqual({
      effects: [],
    });
    expect(
      planPullRequestOpenedEffects(openedPullRequest(), [route({ pullRequests: undefined })]),
    ).toStrictEqual({ effects: [] });
    expect(planPullRequestOpenedEffects(openedPullRequest(), [])).toStrictEqual({ effects: [] });
  });
});
