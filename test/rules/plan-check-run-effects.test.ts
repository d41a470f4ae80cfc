import { describe, expect, it } from "vitest";
import { type Route, routeSchema } from "../../src/config/config-schema.ts";
import type { BridgeEvent, RefUpdate } from "../../src/events/bridge-event.ts";
import { planCheckRunEffects } from "../../src/rules/plan-check-run-effects.ts";
import { fixtureEvent } from "../support/fixtures.ts";

type ContentUpdated = Extract<BridgeEvent, { kind: "content.updated" }>;

const REPO_ID = "6366c000a2abcdf2fd69a080";
const MODEL_URL = "https://huggingface.co/some-user/some-repo";
const NEW = "575db8b7a51b6f85eb06eee540738584589f131c";
const OLD = "ce9a4674fa833a68d5a73ec355f0ea95eedd60b7";
const ACME = { owner: "acme", repo: "mirror" };

function route(fields: Record<string, unknown> = {}): Route {
  return routeSchema.parse({ hub: "*/*", github: "acme/mirror", commits: "checks", ...fields });
}

function contentFixture(name: string): ContentUpdated {
  const event = fixtureEvent(name);
  if (event.kind !== "content.updated") throw new Error(`${name} is ${event.kind}`);
  return event;
}

function withRefs(event: ContentUpdated, refs: RefUpdate[]): ContentUpdated {
  return { ...event, refs };
}

describe("planCheckRunEffects", () => {
  it("reports a new branch commit as a completed, successful check run on that commit", () => {
    const event = contentFixture("composed-repo.content-update-branch-create.json");
    const link = `hub-check:acme/mirror:${REPO_ID}:refs/heads/my-branch:${NEW}`;
    expect(planCheckRunEffects(event, [route()])).toStrictEqual({
      effects: [
        {
          type: "create-check-run",
          idempotencyKey: `check-run:${link}`,
          repo: ACME,
          link,
          name: "Hugging Face Hub",
          headSha: NEW,
          status: "completed",
          conclusion: "success",
          detailsUrl: `${MODEL_URL}/commit/${NEW}`,
          output: {
            title: "Model some-user/some-repo received my-branch @ 575db8b",
            summary: [
              `Hub model: [some-user/some-repo](${MODEL_URL})`,
              "Ref: `refs/heads/my-branch`",
              `Commit: [${NEW}](${MODEL_URL}/commit/${NEW})`,
              `Files: [${MODEL_URL}/tree/my-branch](${MODEL_URL}/tree/my-branch)`,
            ].join("\n"),
          },
          commitMatch: { hubRepo: event.repo, hubRef: "refs/heads/my-branch", hubSha: NEW },
        },
      ],
    });
  });

  it("names the previous commit of an updated branch and gives a new tag no file link", () => {
    const event = contentFixture("composed-repo.content-update-main-and-new-tag.json");
    const { effects } = planCheckRunEffects(event, [route()]);
    expect(effects.map((effect) => effect.type === "create-check-run" && effect.output)).toEqual([
      {
        title: "Model some-user/some-repo received main @ 575db8b",
        summary: [
          `Hub model: [some-user/some-repo](${MODEL_URL})`,
          "Ref: `refs/heads/main`",
          `Commit: [${NEW}](${MODEL_URL}/commit/${NEW})`,
          `Previous: \`${OLD}\``,
          `Files: [${MODEL_URL}/tree/main](${MODEL_URL}/tree/main)`,
        ].join("\n"),
      },
      {
        title: "Model some-user/some-repo received tag test @ 575db8b",
        summary: [
          `Hub model: [some-user/some-repo](${MODEL_URL})`,
          "Ref: `refs/tags/test`",
          `Commit: [${NEW}](${MODEL_URL}/commit/${NEW})`,
        ].join("\n"),
      },
    ]);
  });

  it("reports a deleted tag as neutral on its last commit, with its own link", () => {
    const event = contentFixture("composed-repo.content-update-tag-delete.json");
    const link = `hub-check:acme/mirror:${REPO_ID}:refs/tags/test:deleted:${NEW}`;
    expect(planCheckRunEffects(event, [route()]).effects).toStrictEqual([
      {
        type: "create-check-run",
        idempotencyKey: `check-run:${link}`,
        repo: ACME,
        link,
        name: "Hugging Face Hub",
        headSha: NEW,
        status: "completed",
        conclusion: "neutral",
        detailsUrl: MODEL_URL,
        output: {
          title: "tag test was deleted from Model some-user/some-repo",
          summary: [
            `Hub model: [some-user/some-repo](${MODEL_URL})`,
            "Ref: `refs/tags/test`",
            `Deleted; it pointed at [${NEW}](${MODEL_URL}/commit/${NEW}).`,
          ].join("\n"),
        },
        commitMatch: { hubRepo: event.repo, hubRef: "refs/tags/test", hubSha: NEW },
      },
    ]);
  });

  it("starts a Space's main branch in progress, following its build for the route's timeout", () => {
    const space = contentFixture("hfhub-repo.content-update-space-pr-ref.json");
    const event = withRefs(space, [{ ref: "refs/heads/main", oldSha: null, newSha: NEW }]);
    const [effect] = planCheckRunEffects(event, [
      route({ checks: { spaceTimeoutMinutes: 12 } }),
    ]).effects;
    expect(effect).toMatchObject({ status: "in_progress", headSha: NEW });
    expect(effect && "conclusion" in effect).toBe(false);
    expect(effect?.type === "create-check-run" && effect.output.title).toBe(
      "Space Wauplin/gradio-user-history is building main @ 575db8b",
    );
    expect(effect?.type === "create-check-run" && effect.commitMatch).toStrictEqual({
      hubRepo: space.repo,
      hubRef: "refs/heads/main",
      hubSha: NEW,
      spaceBuild: { timeoutMinutes: 12 },
    });
  });

  it("reports a Space's other refs as received: only main is built", () => {
    const event = contentFixture("hfhub-repo.content-update-space-pr-ref.json");
    const [effect] = planCheckRunEffects(event, [route()]).effects;
    expect(effect).toMatchObject({ status: "completed", conclusion: "success" });
    expect(effect?.type === "create-check-run" && effect.output.title).toBe(
      "Space Wauplin/gradio-user-history received refs/pr/5 @ 227c783",
    );
    expect(effect?.type === "create-check-run" && effect.commitMatch?.spaceBuild).toBeUndefined();
  });

  it("calls a dataset a Dataset", () => {
    const event = contentFixture("composed-repo.content-update-private-dataset.json");
    const [effect] = planCheckRunEffects(event, [route()]).effects;
    expect(effect?.type === "create-check-run" && effect.output.title).toBe(
      "Dataset some-user/some-dataset received main @ 575db8b",
    );
  });

  it("falls back to the mapped GitHub branch only when asked, and never for a tag", () => {
    const event = contentFixture("composed-repo.content-update-main-and-new-tag.json");
    const fallback = route({ checks: { fallbackToBranchHead: true, branches: { main: "trunk" } } });
    const [main, tag] = planCheckRunEffects(event, [fallback]).effects;
    expect(main?.type === "create-check-run" && main.commitMatch?.fallbackBranch).toBe("trunk");
    expect(tag?.type === "create-check-run" && tag.commitMatch?.fallbackBranch).toBeUndefined();

    const branch = contentFixture("composed-repo.content-update-branch-create.json");
    const [unmapped] = planCheckRunEffects(branch, [fallback]).effects;
    expect(unmapped?.type === "create-check-run" && unmapped.commitMatch?.fallbackBranch).toBe(
      "my-branch",
    );
    const [off] = planCheckRunEffects(branch, [route()]).effects;
    expect(off?.type === "create-check-run" && "fallbackBranch" in (off.commitMatch ?? {})).toBe(
      false,
    );
  });

  it("plans one run per checked route, each under its own name and link", () => {
    const event = contentFixture("composed-repo.content-update-branch-create.json");
    const routes = [
      route(),
      route({ github: "acme/other", checks: { name: "Hub" } }),
      route({ github: "acme/quiet", commits: "off" }),
    ];
    const { effects } = planCheckRunEffects(event, routes);
    expect(
      effects.map((effect) => effect.type === "create-check-run" && [effect.name, effect.link]),
    ).toEqual([
      ["Hugging Face Hub", `hub-check:acme/mirror:${REPO_ID}:refs/heads/my-branch:${NEW}`],
      ["Hub", `hub-check:acme/other:${REPO_ID}:refs/heads/my-branch:${NEW}`],
    ]);
  });

  it("plans nothing, and says nothing, when no matching route has commits: checks", () => {
    const event = contentFixture("composed-repo.content-update-branch-create.json");
    expect(planCheckRunEffects(event, [route({ commits: "off" })])).toStrictEqual({ effects: [] });
    expect(planCheckRunEffects(event, [route({ hub: "other/*" })])).toStrictEqual({ effects: [] });
  });

  it("says the event updated no ref when no entry has a commit to report on", () => {
    const event = contentFixture("composed-repo.content-update-branch-create.json");
    const reason = { effects: [], reason: "the event updated no ref" };
    expect(planCheckRunEffects(withRefs(event, []), [route()])).toStrictEqual(reason);
    const empty = withRefs(event, [{ ref: "refs/heads/x", oldSha: null, newSha: null }]);
    expect(planCheckRunEffects(empty, [route()])).toStrictEqual(reason);
  });
});
