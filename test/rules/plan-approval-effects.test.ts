import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.ts";
import type { GitHubEvent } from "../../src/events/bridge-event.ts";
import { planEffects } from "../../src/rules/plan-effects.ts";

const issue = {
  owner: "acme",
  name: "widgets",
  number: 7,
  mirrors: "hub-discussion:6366c000a2abcdf2fd69a080:3",
};

function config(pullRequests: boolean) {
  return configSchema.parse({
    routes: [
      {
        hub: "some-user/*",
        github: "acme/widgets",
        discussions: { writeBack: true },
        ...(pullRequests ? { pullRequests: { workflow: "hub-pr.yml" } } : {}),
      },
    ],
  });
}

function reply(body: string): GitHubEvent {
  return { kind: "github.comment-created", issue, reply: { id: 41, author: "maintainer", body } };
}

describe("planning approvals of held Hub PR runs", () => {
  it("plans /approve as an approval bound to the mirrored discussion, not as a reply", () => {
    const { effects } = planEffects(reply("/approve\nlooks fine"), config(true));
    expect(effects).toMatchObject([
      {
        type: "workflow-dispatch",
        workflow: "hub-pr.yml",
        approval: { discussion: issue.mirrors, login: "maintainer", via: "comment 41" },
      },
    ]);
  });

  it("writes /approve back as an ordinary reply where no route runs Hub PR CI", () => {
    const { effects } = planEffects(reply("/approve"), config(false));
    expect(effects).toMatchObject([{ type: "create-hub-comment", author: "maintainer" }]);
  });

  it("plans the hub-pr:approved label as an approval and says why another label does nothing", () => {
    const labeled = (label: string): GitHubEvent => ({
      kind: "github.issue-labeled",
      issue,
      label,
      labeledBy: "maintainer",
    });
    expect(planEffects(labeled("hub-pr:approved"), config(true)).effects).toMatchObject([
      { approval: { login: "maintainer", via: "label by maintainer" } },
    ]);
    expect(planEffects(labeled("bug"), config(true))).toEqual({
      effects: [],
      reason:
        'the label "bug" means nothing to the bridge; hub-pr:approved approves a held Hub PR run',
    });
  });
});
