import { describe, expect, it } from "vitest";
import { type BridgeConfig, configSchema } from "../../src/config/config-schema.ts";
import type { Effect, PlannedEffect } from "../../src/effects/effect.ts";
import type { BridgeEvent } from "../../src/events/bridge-event.ts";
import { planEffects } from "../../src/rules/plan-effects.ts";
import { fixtureEvent } from "../support/fixtures.ts";

const ACME = { owner: "acme", repo: "mirror" };
const REPO_ID = "6366c000a2abcdf2fd69a080";
const ISSUE = `hub-discussion:${REPO_ID}:3`;
const COMMENT = "hub-comment:6398872887bfcfb93a306f18";
const DISCUSSION_URL = "https://huggingface.co/some-user/some-repo/discussions/3";
const COMMENT_URL =
  "https://huggingface.co/some-user/some-repo/discussions/4#6398872887bfcfb93a306f18";
const AUTHOR = "61d2000c3c2083e1c08af22d";

function config(route: Record<string, unknown>): BridgeConfig {
  return configSchema.parse({ routes: [{ hub: "some-user/*", github: "acme/mirror", ...route }] });
}

const DISCUSSIONS_ON = config({ discussions: true });

/** Plans twice and checks the two plans are equal: planners are pure. */
function plan(event: BridgeEvent, bridgeConfig: BridgeConfig) {
  const first = planEffects(event, bridgeConfig);
  expect(planEffects(structuredClone(event), bridgeConfig)).toStrictEqual(first);
  return first;
}

function planFixture(name: string, bridgeConfig: BridgeConfig = DISCUSSIONS_ON) {
  return plan(fixtureEvent(name), bridgeConfig);
}

describe("planEffects for discussions", () => {
  it("opens an issue for a new draft pull request with the first comment and the draft label", () => {
    expect(planFixture("composed-discussion-create-draft-pr.json")).toStrictEqual({
      effects: [
        {
          type: "create-issue",
          idempotencyKey: `create-issue:${ISSUE}`,
          repo: ACME,
          link: ISSUE,
          title: "[Hub] Hello!",
          body: [
            "This adds an env key",
            "---",
            "_Mirrored from the Hub; reply there to take part._",
            [
              `- Hub pull request: [some-user/some-repo #\u200B3](${DISCUSSION_URL})`,
              `- Author: Hub user \`${AUTHOR}\``,
              "- Pull request: yes, into `refs/heads/main`",
            ].join("\n"),
          ].join("\n\n"),
          labels: ["huggingface", "hub-pr", "draft"],
          sourceUrl: DISCUSSION_URL,
        },
      ],
    });
  });

  it("says in the footer that replies here reach the Hub when the route writes back", () => {
    const { effects } = planFixture(
      "composed-discussion-create-draft-pr.json",
      config({ discussions: { writeBack: true } }),
    );
    const body = effects[0]?.type === "create-issue" ? effects[0].body : "";
    expect(body).toContain(
      "_Mirrored from the Hub; comments here by members with write access are posted there too._",
    );
    expect(body).not.toContain("reply there");
  });

  it("opens an issue for a plain discussion with the route's title template and labels", () => {
    const custom = config({
      discussions: {
        titleTemplate: "HF {{type}} {{repo}}#{{num}}: {{title}}",
        labels: { all: "hf", discussion: "question" },
      },
    });
    const { effects } = planFixture("composed-discussion-create-plain-discussion.json", custom);
    expect(effects).toStrictEqual([
      {
        type: "create-issue",
        idempotencyKey: `create-issue:${ISSUE}`,
        repo: ACME,
        link: ISSUE,
        title: "HF model some-user/some-repo#\u200B3: Hello!",
        body: [
          "This adds an env key",
          "---",
          "_Mirrored from the Hub; reply there to take part._",
          [
            `- Hub discussion: [some-user/some-repo #\u200B3](${DISCUSSION_URL})`,
            `- Author: Hub user \`${AUTHOR}\``,
            "- Pull request: no",
          ].join("\n"),
        ].join("\n\n"),
        labels: ["hf", "question"],
        sourceUrl: DISCUSSION_URL,
      },
    ]);
  });

  it("cuts a long title to GitHub's 256 characters", () => {
    const event = fixtureEvent("composed-discussion-create-plain-discussion.json");
    if (event.kind !== "discussion.opened") throw new Error(`unexpected kind ${event.kind}`);
    const long = { ...event, discussion: { ...event.discussion, title: "x".repeat(300) } };
    const [effect] = plan(long, DISCUSSIONS_ON).effects;
    expect(effect?.type === "create-issue" && effect.title).toBe(`[Hub] ${"x".repeat(249)}…`);
  });

  it("mirrors a new comment into the discussion's issue", () => {
    expect(planFixture("composed-discussion.comment-create-on-pr.json")).toStrictEqual({
      effects: [
        {
          type: "create-comment",
          idempotencyKey: `create-comment:${COMMENT}`,
          repo: ACME,
          issue: ISSUE,
          link: COMMENT,
          body: `Hub user \`${AUTHOR}\` [commented on the Hub](${COMMENT_URL}):\n\nThis adds an env key`,
          sourceUrl: COMMENT_URL,
        },
      ],
    });
  });

  it("updates the mirrored comment on an edit, keyed by the new text", () => {
    const { effects } = planFixture("composed-discussion.comment-update-edited.json");
    expect(effects).toStrictEqual([
      {
        type: "update-comment",
        idempotencyKey: `update-comment:${COMMENT}:cb5785a69e076c33`,
        repo: ACME,
        comment: COMMENT,
        body: `Hub user \`${AUTHOR}\` [commented on the Hub](${COMMENT_URL}):\n\nThis adds an env key (edited)`,
        sourceUrl: COMMENT_URL,
      },
    ]);
  });

  it("replaces a hidden comment's text with a notice", () => {
    expect(planFixture("composed-discussion.comment-update-hidden.json").effects).toStrictEqual([
      {
        type: "update-comment",
        idempotencyKey: `update-comment:${COMMENT}:hidden`,
        repo: ACME,
        comment: COMMENT,
        body: `_This comment was [hidden on the Hub](${COMMENT_URL}); its text is no longer mirrored._`,
      },
    ]);
  });

  it("closes as not planned when closed and as completed when merged", () => {
    expect(planFixture("composed-discussion-update-closed-pr.json").effects).toStrictEqual([
      {
        type: "close-issue",
        idempotencyKey: `close-issue:${ISSUE}:closed`,
        repo: ACME,
        issue: ISSUE,
        reason: "not_planned",
      },
      {
        type: "remove-labels",
        idempotencyKey: `remove-labels:${ISSUE}:draft`,
        repo: ACME,
        issue: ISSUE,
        labels: ["draft"],
      },
    ]);
    const merged = planFixture("composed-discussion-update-merged-pr.json").effects;
    expect(merged.map((effect) => [effect.type, effect.idempotencyKey])).toStrictEqual([
      ["create-comment", `create-comment:${ISSUE}:merged-note`],
      ["close-issue", `close-issue:${ISSUE}:merged`],
      ["remove-labels", `remove-labels:${ISSUE}:draft`],
    ]);
    expect(merged[1]).toMatchObject({ reason: "completed" });
    expect(merged[0]).toMatchObject({
      body: expect.stringContaining(
        "merged into `refs/heads/main` as commit `575db8b7a51b6f85eb06eee540738584589f131c`",
      ),
    });
  });

  it("retitles, reopens and drops the draft label when a pull request is open again", () => {
    const event = fixtureEvent("composed-discussion-update-closed-pr.json");
    if (event.kind !== "discussion.closed") throw new Error(`unexpected kind ${event.kind}`);
    const reopened: BridgeEvent = {
      kind: "discussion.updated",
      repo: event.repo,
      discussion: { ...event.discussion, status: "open", title: "Renamed" },
    };
    expect(plan(reopened, DISCUSSIONS_ON).effects).toStrictEqual([
      {
        type: "update-issue",
        idempotencyKey: `update-issue:${ISSUE}:title:bfbe80c32295e3a4`,
        repo: ACME,
        issue: ISSUE,
        title: "[Hub] Renamed",
      },
      { type: "reopen-issue", idempotencyKey: `reopen-issue:${ISSUE}`, repo: ACME, issue: ISSUE },
      {
        type: "remove-labels",
        idempotencyKey: `remove-labels:${ISSUE}:draft`,
        repo: ACME,
        issue: ISSUE,
        labels: ["draft"],
      },
    ]);
  });

  it("adds the draft label when a pull request turns draft, without reopening", () => {
    const event = fixtureEvent("composed-discussion-create-draft-pr.json");
    if (event.kind !== "discussion.opened") throw new Error(`unexpected kind ${event.kind}`);
    const drafted: BridgeEvent = {
      kind: "discussion.updated",
      repo: event.repo,
      discussion: event.discussion,
    };
    expect(plan(drafted, DISCUSSIONS_ON).effects.map((effect) => effect.type)).toStrictEqual([
      "update-issue",
      "add-labels",
    ]);
  });

  it("notes a deleted discussion on its issue and closes it", () => {
    const issue = "hub-discussion:621ffdc036468d709f17434d:9";
    const everything = configSchema.parse({
      routes: [{ hub: "**", github: "acme/mirror", discussions: true }],
    });
    expect(planFixture("hookdeck-discussion-delete.json", everything).effects).toStrictEqual([
      {
        type: "create-comment",
        idempotencyKey: `create-comment:${issue}:deleted-note`,
        repo: ACME,
        issue,
        link: `${issue}:deleted-note`,
        body: "_The Hub discussion [#\u200B9](https://huggingface.co/openai-community/gpt2/discussions/9) was deleted, so this issue is closed. Its earlier mirrored text stays here._",
      },
      {
        type: "close-issue",
        idempotencyKey: `close-issue:${issue}:deleted`,
        repo: ACME,
        issue,
        reason: "not_planned",
      },
    ]);
  });

  it("mirrors into the first matching route that has discussions on", () => {
    const twoRoutes = configSchema.parse({
      routes: [
        { hub: "some-user/some-repo", github: "acme/dispatch-only" },
        { hub: "some-user/*", github: "acme/mirror", discussions: { enabled: true } },
        { hub: "**", github: "acme/other", discussions: true },
      ],
    });
    const { effects } = planFixture("composed-discussion.comment-create-on-pr.json", twoRoutes);
    expect(effects.map((effect) => effect.repo)).toStrictEqual([ACME]);
  });

  it("says why nothing is planned: no route, discussions off", () => {
    expect(
      planFixture("composed-discussion.comment-create-on-pr.json", config({ hub: "x/*" })),
    ).toStrictEqual({ effects: [], reason: 'no route matches model "some-user/some-repo"' });
    expect(planFixture("composed-discussion.comment-create-on-pr.json", config({}))).toStrictEqual({
      effects: [],
      reason: "discussions are off for this route",
    });
    expect(
      planFixture(
        "composed-discussion.comment-create-on-pr.json",
        config({ discussions: { enabled: false } }),
      ),
    ).toStrictEqual({ effects: [], reason: "discussions are off for this route" });
  });

  // Whether the GitHub repo is public needs I/O, so the private-repo policy is the mirror executor's
  // (test/mirror/private-repo-policy.test.ts); the planner plans the same effects either way.
  it("plans a private Hub repo's comment like any other", () => {
    const allowed = config({ discussions: { mirrorPrivateIntoPublic: true } });
    const { effects } = planFixture(
      "composed-discussion.comment-create-private-dataset.json",
      allowed,
    );
    expect(effects.map((effect) => [effect.type, effect.idempotencyKey])).toStrictEqual([
      ["create-comment", `create-comment:${COMMENT}`],
    ]);
  });

  it("refuses a title template with an unknown placeholder, naming it and the allowed ones", () => {
    // Config validation refuses this typo; the planner still refuses a config built without it.
    const typo = config({ discussions: { titleTemplate: "[Hub] {{title}}" } });
    Object.assign(typo.routes[0]?.discussions as object, { titleTemplate: "[Hub] {{titel}}" });
    expect(() => planFixture("composed-discussion-create-plain-discussion.json", typo)).toThrow(
      'discussions.titleTemplate "[Hub] {{titel}}" uses unknown placeholder {{titel}}; use one of {{title}}, {{num}}, {{repo}}, {{type}}',
    );
  });
});

describe("planEffects for content updates", () => {
  const MAIN_SHA = "575db8b7a51b6f85eb06eee540738584589f131c";
  const OLD_SHA = "ce9a4674fa833a68d5a73ec355f0ea95eedd60b7";

  it("sends one repository dispatch per matching ref, by default for main", () => {
    const { effects } = planFixture(
      "composed-repo.content-update-main-and-new-tag.json",
      config({ dispatch: [{}] }),
    );
    expect(effects).toStrictEqual<Effect[]>([
      {
        type: "repository-dispatch",
        idempotencyKey: `repository-dispatch:acme/mirror:0:refs/heads/main:${OLD_SHA}:${MAIN_SHA}`,
        repo: ACME,
        eventType: "hf.model.updated",
        clientPayload: {
          hf: {
            repo: "some-user/some-repo",
            type: "model",
            ref: "refs/heads/main",
            oldSha: OLD_SHA,
            newSha: MAIN_SHA,
            url: "https://huggingface.co/some-user/some-repo",
            commitUrl: `https://huggingface.co/some-user/some-repo/commit/${MAIN_SHA}`,
          },
          dispatchId: expect.stringMatching(/^[0-9a-f]{32}$/),
        },
      },
    ]);
  });

  it("sends a workflow dispatch with templated inputs when the rule names a workflow", () => {
    const rules = config({
      dispatch: [
        {
          refs: ["refs/tags/*"],
          workflow: "release.yml",
          inputs: { tag: "{{ref}}", sha: "{{newSha}}", from: "{{oldSha}}" },
        },
        { refs: ["refs/heads/*"], eventType: "model-pushed" },
      ],
    });
    const { effects } = planFixture("composed-repo.content-update-main-and-new-tag.json", rules);
    expect(effects).toStrictEqual<Effect[]>([
      {
        type: "workflow-dispatch",
        idempotencyKey: `workflow-dispatch:acme/mirror:0:refs/tags/test:-:${MAIN_SHA}`,
        repo: ACME,
        workflow: "release.yml",
        ref: "main",
        inputs: { tag: "refs/tags/test", sha: MAIN_SHA, from: "" },
      },
      {
        type: "repository-dispatch",
        idempotencyKey: `repository-dispatch:acme/mirror:1:refs/heads/main:${OLD_SHA}:${MAIN_SHA}`,
        repo: ACME,
        eventType: "model-pushed",
        clientPayload: {
          hf: {
            repo: "some-user/some-repo",
            type: "model",
            ref: "refs/heads/main",
            oldSha: OLD_SHA,
            newSha: MAIN_SHA,
            url: "https://huggingface.co/some-user/some-repo",
            commitUrl: `https://huggingface.co/some-user/some-repo/commit/${MAIN_SHA}`,
          },
          dispatchId: expect.stringMatching(/^[0-9a-f]{32}$/),
        },
      },
    ]);
  });

  it("gives each planned dispatch a dispatchId that is the same on every plan and differs per change", () => {
    const rules = config({
      dispatch: [
        { refs: ["refs/tags/*"], workflow: "release.yml", inputs: { id: "{{dispatchId}}" } },
        { refs: ["refs/**"] },
      ],
    });
    const event = fixtureEvent("composed-repo.content-update-main-and-new-tag.json");
    if (event.kind !== "content.updated") throw new Error("expected a content update");
    const ids = (effects: PlannedEffect[]) =>
      effects.map((effect) =>
        effect.type === "repository-dispatch"
          ? effect.clientPayload.dispatchId
          : effect.type === "workflow-dispatch"
            ? effect.inputs?.id
            : undefined,
      );
    const first = ids(planEffects(event, rules).effects);
    expect(first).toHaveLength(3);
    expect(first.every((id) => typeof id === "string" && /^[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(new Set(first).size).toBe(3);
    expect(ids(planEffects(event, rules).effects)).toStrictEqual(first);
    // The same change in another Hub repo (a duplicate pushes the same commits) is another dispatch.
    const duplicate = { ...event, repo: { ...event.repo, id: "another-repo-id" } };
    expect(ids(planEffects(duplicate, rules).effects).some((id) => first.includes(id))).toBe(false);
  });

  it("plans for each ref once and for at most 100 refs of one push, saying what it refused", () => {
    const event = fixtureEvent("composed-repo.content-update-main-and-new-tag.json");
    if (event.kind !== "content.updated") throw new Error("expected a content update");
    const refs = Array.from({ length: 2001 }, (_, i) => ({
      ref: `refs/heads/branch-${i}`,
      oldSha: null,
      newSha: MAIN_SHA,
    }));
    const flood = { ...event, refs: [...refs, ...refs.slice(0, 5)] };
    const plan = planEffects(flood, config({ dispatch: [{ refs: ["refs/heads/*"] }] }));
    expect(plan.effects).toHaveLength(100);
    expect(
      plan.effects.map((effect) =>
        effect.type === "repository-dispatch"
          ? (effect.clientPayload.hf as { ref: string }).ref
          : "",
      ),
    ).toStrictEqual(refs.slice(0, 100).map((update) => update.ref));
    expect(plan.refused).toStrictEqual([
      "5 repeated ref entries ignored",
      "1901 of 2001 updated refs refused: one push is planned for at most 100 refs, the first ones in the payload",
    ]);
  });

  it("uses the repo type in the default event type and plans for every matching route", () => {
    const routes = configSchema.parse({
      routes: [
        { hub: "some-user/*", github: "acme/one", dispatch: [{}] },
        { hub: "**", types: ["dataset"], github: "acme/two", dispatch: [{}] },
        { hub: "**", types: ["model"], github: "acme/three", dispatch: [{}] },
      ],
    });
    const { effects } = planFixture("composed-repo.content-update-private-dataset.json", routes);
    expect(
      effects.map((effect) => [
        `${effect.repo.owner}/${effect.repo.repo}`,
        effect.type === "repository-dispatch" && effect.eventType,
      ]),
    ).toStrictEqual([
      ["acme/one", "hf.dataset.updated"],
      ["acme/two", "hf.dataset.updated"],
    ]);
  });

  it("says why nothing is planned: no rule, or no ref the rules cover", () => {
    expect(planFixture("composed-repo.content-update-tag-delete.json", config({}))).toStrictEqual({
      effects: [],
      reason: "no dispatch rule for this route",
    });
    expect(
      planFixture("composed-repo.content-update-pr-ref-create.json", config({ dispatch: [{}] })),
    ).toStrictEqual({
      effects: [],
      reason: "no updated ref matches a dispatch rule (updated: refs/pr/3)",
    });
  });
});

describe("planEffects for other kinds", () => {
  it.each([
    ["hookdeck-repo-create.json", "repo.created"],
    ["hookdeck-repo-update.json", "repo.updated"],
    ["hookdeck-repo-delete.json", "repo.deleted"],
    ["composed-repo-move-movedTo.json", "repo.moved"],
    ["composed-repo.config-update-private-true.json", "config.updated"],
  ])("plans nothing for %s and says why", (name, kind) => {
    expect(planFixture(name, config({ discussions: true, dispatch: [{}] }))).toStrictEqual({
      effects: [],
      reason: `"${kind}" events plan no GitHub effects yet`,
    });
  });
});

describe("planEffects sends each kind to its planner", () => {
  const issue = { owner: "acme", name: "mirror", number: 7, mirrors: ISSUE };
  const writeBack = config({ discussions: { writeBack: true, closeOnHub: true } });
  const withCi = config({
    discussions: { writeBack: true },
    pullRequests: { workflow: "hub-pr.yml" },
  });

  it("writes /approve back as an ordinary reply where no route runs Hub PR CI", () => {
    const event: BridgeEvent = {
      kind: "github.comment-created",
      issue,
      reply: { id: 41, author: "maintainer", body: "/approve" },
    };
    expect(plan(event, writeBack).effects.map((effect) => effect.type)).toStrictEqual([
      "create-hub-comment",
    ]);
    expect(plan(event, withCi).effects).toMatchObject([
      { type: "workflow-dispatch", approval: { via: "comment 41" } },
    ]);
  });

  it("plans the approval label, and says why another label does nothing", () => {
    const labeled = (label: string): BridgeEvent => ({
      kind: "github.issue-labeled",
      issue,
      label,
      labeledBy: "maintainer",
    });
    expect(plan(labeled("hub-pr:approved"), withCi).effects).toMatchObject([
      { approval: { login: "maintainer", via: "label by maintainer" } },
    ]);
    expect(plan(labeled("bug"), withCi)).toStrictEqual({
      effects: [],
      reason:
        'the label "bug" means nothing to the bridge; hub-pr:approved approves a held Hub PR run',
    });
  });

  it("closes the Hub discussion for a closed mirrored issue", () => {
    const closed: BridgeEvent = { kind: "github.issue-closed", issue, closedBy: "maintainer" };
    expect(plan(closed, writeBack).effects.map((effect) => effect.type)).toStrictEqual([
      "close-hub-discussion",
    ]);
  });

  it("reports a finished Hub PR run, a Space stage, an endpoint card and the alarm issue", () => {
    const run: BridgeEvent = {
      kind: "github.workflow-run-completed",
      repository: { owner: "acme", name: "mirror" },
      run: {
        id: 1,
        attempt: 1,
        workflowName: "CI",
        workflowPath: ".github/workflows/hub-pr.yml",
        workflowId: 2,
        conclusion: "success",
        url: "https://github.com/acme/mirror/actions/runs/1",
        completedAt: "2026-12-02T10:00:00Z",
      },
    };
    expect(plan(run, withCi).effects.map((effect) => effect.type)).toStrictEqual([
      "report-workflow-run",
    ]);
    const push = fixtureEvent("hfhub-repo.content-update-space-pr-ref.json");
    if (push.kind !== "content.updated") throw new Error(`unexpected kind ${push.kind}`);
    const stage: BridgeEvent = { kind: "space.stage-changed", repo: push.repo, stage: "RUNNING" };
    expect(plan(stage, withCi)).toStrictEqual({
      effects: [],
      reason: 'no check run follows a build of Space "Wauplin/gradio-user-history"',
    });
    const endpoints = configSchema.parse({
      endpoints: [{ namespace: "acme", github: "acme/ops" }],
    });
    const endpoint: BridgeEvent = {
      kind: "endpoint.state-changed",
      endpoint: { namespace: "acme", name: "chat", state: "running", repository: "acme/gpt" },
    };
    const card = plan(endpoint, endpoints).effects[0];
    // Without a PlanContext, links point at the public Hub.
    expect(card?.type === "create-issue" && card.body).toContain(
      "(https://huggingface.co/acme/gpt)",
    );
    const alarm: BridgeEvent = { kind: "bridge.alarm", seq: 1, checkedAt: "now", problems: [] };
    expect(plan(alarm, DISCUSSIONS_ON)).toStrictEqual({
      effects: [],
      reason: "no alerts.github in the config",
    });
  });

  it("opens the issue and starts the CI run of a Hub PR opened ready, in that order", () => {
    const opened = fixtureEvent("hubdocs-discussion-create-pr.json");
    const both = configSchema.parse({
      routes: [
        {
          hub: "openai-community/*",
          github: "acme/mirror",
          discussions: true,
          pullRequests: { workflow: "ci.yml" },
        },
      ],
    });
    expect(plan(opened, both).effects.map((effect) => effect.type)).toStrictEqual([
      "create-issue",
      "workflow-dispatch",
    ]);
    const ciOnly = configSchema.parse({
      routes: [
        { hub: "openai-community/*", github: "acme/mirror", pullRequests: { workflow: "ci.yml" } },
      ],
    });
    expect(plan(opened, ciOnly).effects.map((effect) => effect.type)).toStrictEqual([
      "workflow-dispatch",
    ]);
  });

  it("merges a push's check runs, dispatches and PR runs, or the reasons of each when none", () => {
    const everything = config({
      commits: "checks",
      dispatch: [{ refs: ["refs/**"] }],
      pullRequests: { workflow: "hub-pr.yml" },
    });
    const pr = fixtureEvent("composed-repo.content-update-pr-ref-create.json");
    expect(plan(pr, everything).effects.map((effect) => effect.type)).toStrictEqual([
      "create-check-run",
      "repository-dispatch",
      "workflow-dispatch",
    ]);
    const main = fixtureEvent("composed-repo.content-update-branch-create.json");
    expect(plan(main, config({ pullRequests: { workflow: "hub-pr.yml" } }))).toStrictEqual({
      effects: [],
      reason: "no dispatch rule for this route; the push updated no Hub pull request (refs/pr/N)",
    });
  });

  it("says an event kind it does not know is not one", () => {
    const unknown = { kind: "repo.exploded" } as unknown as BridgeEvent;
    expect(planEffects(unknown, DISCUSSIONS_ON)).toStrictEqual({
      effects: [],
      reason: '"repo.exploded" is not an event kind this bridge knows',
    });
  });
});
