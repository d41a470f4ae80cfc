import { describe, expect, it } from "vitest";
import { type Route, routeSchema } from "../../src/config/config-schema.ts";
import type { GitHubEvent } from "../../src/events/bridge-event.ts";
import { planApprovalEffects } from "../../src/rules/plan-approval-effects.ts";

const issue = {
  owner: "acme",
  name: "widgets",
  number: 7,
  mirrors: "hub-discussion:6366c000a2abcdf2fd69a080:3",
};

function route(fields: Record<string, unknown> = {}): Route {
  return routeSchema.parse({
    hub: "some-user/*",
    github: "acme/widgets",
    discussions: { writeBack: true },
    pullRequests: { workflow: "hub-pr.yml", workflowRef: "ci" },
    ...fields,
  });
}

function reply(body: string): Extract<GitHubEvent, { kind: "github.comment-created" }> {
  return { kind: "github.comment-created", issue, reply: { id: 41, author: "maintainer", body } };
}

function labeled(label: string): Extract<GitHubEvent, { kind: "github.issue-labeled" }> {
  return { kind: "github.issue-labeled", issue, label, labeledBy: "labeller" };
}

describe("planApprovalEffects", () => {
  it("plans /approve as an approval of the held run, bound to the mirrored discussion", () => {
    expect(planApprovalEffects(reply("  /approve \nlooks fine"), [route()])).toStrictEqual({
      effects: [
        {
          type: "workflow-dispatch",
          idempotencyKey: "pr-approval:acme/widgets#7:comment 41:hub-pr.yml",
          repo: { owner: "acme", repo: "widgets" },
          workflow: "hub-pr.yml",
          ref: "ci",
          approval: {
            discussion: issue.mirrors,
            login: "maintainer",
            issueNumber: 7,
            via: "comment 41",
          },
        },
      ],
    });
  });

  it("plans the hub-pr:approved label, in any case, as an approval by whoever added it", () => {
    const [effect] = planApprovalEffects(labeled("Hub-PR:Approved"), [route()])?.effects ?? [];
    expect(effect).toStrictEqual({
      type: "workflow-dispatch",
      idempotencyKey: "pr-approval:acme/widgets#7:label by labeller:hub-pr.yml",
      repo: { owner: "acme", repo: "widgets" },
      workflow: "hub-pr.yml",
      ref: "ci",
      approval: {
        discussion: issue.mirrors,
        login: "labeller",
        issueNumber: 7,
        via: "label by labeller",
      },
    });
  });

  it("is no approval when /approve is not the first line, or the label is another", () => {
    expect(planApprovalEffects(reply("looks fine\n/approve"), [route()])).toBeUndefined();
    expect(planApprovalEffects(reply("/approved"), [route()])).toBeUndefined();
    expect(planApprovalEffects(labeled("bug"), [route()])).toBeUndefined();
  });

  it("approves on every route into the repository (named in any case) that runs PR CI", () => {
    const routes = [
      route({ github: "Acme/Widgets" }),
      route({ hub: "other/*", pullRequests: { workflow: "other-ci.yml" } }),
      route({ pullRequests: undefined }),
      route({ github: "acme/elsewhere" }),
    ];
    const plan = planApprovalEffects(reply("/approve"), routes);
    expect(
      plan?.effects.map((effect) => effect.type === "workflow-dispatch" && effect.workflow),
    ).toEqual(["hub-pr.yml", "other-ci.yml"]);
  });

  it("says no run waits for approval when no route into the repository has pullRequests", () => {
    expect(
      planApprovalEffects(reply("/approve"), [route({ pullRequests: undefined })]),
    ).toStrictEqual({
      effects: [],
      reason:
        "approval on acme/widgets: no route into it has pullRequests, so no run waits for approval",
    });
    expect(planApprovalEffects(labeled("hub-pr:approved"), [])).toMatchObject({ effects: [] });
  });
});
