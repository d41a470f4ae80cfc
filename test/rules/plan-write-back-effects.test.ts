import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.ts";
import { planWriteBackEffects } from "../../src/rules/plan-write-back-effects.ts";

const ZWSP = "\u200B";
const issue = {
  owner: "Acme",
  name: "Widgets",
  number: 7,
  mirrors: "hub-discussion:6366c000a2abcdf2fd69a080:3",
};
const config = (discussions: unknown) =>
  configSchema.parse({ routes: [{ hub: "some-user/*", github: "acme/widgets", discussions }] });

describe("planWriteBackEffects", () => {
  it("plans one Hub comment, attributed and with its Hub mentions neutralised", () => {
    const planned = planWriteBackEffects(
      {
        kind: "github.comment-created",
        issue,
        reply: {
          id: 9001,
          author: "widget-maintainer",
          body: "cc @julien, see #12 and `@property`",
        },
      },
      config({ writeBack: true }),
    );
    expect(planned).toEqual({
      effects: [
        {
          type: "create-hub-comment",
          idempotencyKey: "github-comment:acme/widgets:9001",
          repo: { owner: "Acme", repo: "Widgets" },
          discussion: issue.mirrors,
          link: "github-comment:acme/widgets:9001",
          issueNumber: 7,
          githubCommentId: 9001,
          author: "widget-maintainer",
          body: `widget-maintainer on GitHub wrote:\n\ncc @${ZWSP}julien, see #${ZWSP}12 and \`@property\``,
        },
      ],
    });
  });

  it("plans closing the Hub discussion only when closeOnHub is on too", () => {
    const event = { kind: "github.issue-closed" as const, issue, closedBy: "widget-maintainer" };
    expect(
      planWriteBackEffects(event, config({ writeBack: true, closeOnHub: true })).effects,
    ).toEqual([
      {
        type: "close-hub-discussion",
        idempotencyKey: "close-on-hub:acme/widgets#7",
        repo: { owner: "Acme", repo: "Widgets" },
        discussion: issue.mirrors,
        issueNumber: 7,
        closedBy: "widget-maintainer",
        comment: "widget-maintainer closed the mirrored GitHub issue.",
      },
    ]);
    expect(planWriteBackEffects(event, config({ writeBack: true }))).toEqual({
      effects: [],
      reason:
        "discussions.writeBack and closeOnHub are not both on for any route into Acme/Widgets",
    });
  });

  it("plans nothing, and says why, when no route writes back into the repository", () => {
    const event = {
      kind: "github.comment-created" as const,
      issue: { ...issue, name: "other" },
      reply: { id: 1, author: "someone", body: "hi" },
    };
    expect(planWriteBackEffects(event, config({ writeBack: true }))).toEqual({
      effects: [],
      reason: "no route mirrors into Acme/other; add one to hf-bridge.yml",
    });
    expect(planWriteBackEffects({ ...event, issue }, config(true)).reason).toBe(
      "discussions.writeBack is off on every route into Acme/Widgets",
    );
  });

  it("writes back when any route into the repository has it on, whichever the others say", () => {
    const routes = configSchema.parse({
      routes: [
        { hub: "some-user/*", github: "acme/widgets", discussions: false },
        {
          hub: "other/*",
          github: "ACME/widgets",
          discussions: { writeBack: true, closeOnHub: true },
        },
      ],
    });
    const closed = { kind: "github.issue-closed" as const, issue, closedBy: "maintainer" };
    expect(planWriteBackEffects(closed, routes).effects.map((effect) => effect.type)).toEqual([
      "close-hub-discussion",
    ]);
    const off = configSchema.parse({
      routes: [{ hub: "some-user/*", github: "acme/widgets", discussions: false }],
    });
    expect(planWriteBackEffects(closed, off).reason).toBe(
      "discussions.writeBack and closeOnHub are not both on for any route into Acme/Widgets",
    );
  });
});
