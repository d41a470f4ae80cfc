import { describe, expect, it } from "vitest";
import type { BridgeEvent, SpaceBuild } from "../../src/events/bridge-event.ts";
import { planSpaceBuildEffects } from "../../src/rules/plan-space-build-effects.ts";
import { fixtureEvent } from "../support/fixtures.ts";

type SpaceStageEvent = Extract<BridgeEvent, { kind: "space.stage-changed" }>;

const SHA = "227c78346870a85e5de4fff8a585db68df975406";
const NEWER = "5e7f29fffcc579cb52539fddb14a1a4f85f39e44";
const CHECK_RUN = `hub-check:acme/app:651311c46de9c503f3f34a9e:refs/heads/main:${SHA}`;
const SPACE_URL = "https://huggingface.co/spaces/Wauplin/gradio-user-history";
const LOG_URL = `${SPACE_URL}?logs=build`;

const build: SpaceBuild = {
  github: "acme/app",
  checkRun: CHECK_RUN,
  hubRef: "refs/heads/main",
  hubSha: SHA,
  githubSha: "0123456789abcdef0123456789abcdef01234567",
  startedAt: "2026-12-02T10:00:00Z",
};

/** A stage of the Space the real Hub push fixture names, as the Space poller reports it. */
function stage(name: string, fields: Partial<SpaceStageEvent> = {}): SpaceStageEvent {
  const push = fixtureEvent("hfhub-repo.content-update-space-pr-ref.json");
  if (push.kind !== "content.updated") throw new Error(`unexpected kind ${push.kind}`);
  return { kind: "space.stage-changed", repo: push.repo, stage: name, build, ...fields };
}

function summary(...lines: string[]): string {
  return [`Space: [Wauplin/gradio-user-history](${SPACE_URL})`, ...lines].join("\n");
}

describe("planSpaceBuildEffects", () => {
  it("moves the check run along while the Space builds, keyed by stage", () => {
    expect(
      planSpaceBuildEffects(stage("BUILDING", { previousStage: "APP_STARTING" })),
    ).toStrictEqual({
      effects: [
        {
          type: "update-check-run",
          idempotencyKey: `space-build:${CHECK_RUN}:in_progress:BUILDING`,
          repo: { owner: "acme", repo: "app" },
          checkRun: CHECK_RUN,
          status: "in_progress",
          output: {
            title: "Space Wauplin/gradio-user-history is building 227c783: BUILDING",
            summary: summary("Stage: `BUILDING`", "Previous stage: `APP_STARTING`"),
          },
        },
      ],
    });
  });

  it("ends the check run as success when the Space runs", () => {
    const [effect] = planSpaceBuildEffects(stage("RUNNING")).effects;
    expect(effect).toStrictEqual({
      type: "update-check-run",
      idempotencyKey: `space-build:${CHECK_RUN}:success:RUNNING`,
      repo: { owner: "acme", repo: "app" },
      checkRun: CHECK_RUN,
      status: "completed",
      conclusion: "success",
      output: {
        title: "Space Wauplin/gradio-user-history is running 227c783",
        summary: summary("Stage: `RUNNING`"),
      },
    });
  });

  it("ends it as failure with the Hub's message and the build log's last lines in fences", () => {
    const failed = stage("BUILD_ERROR", {
      previousStage: "BUILDING",
      errorMessage: "pip failed\n```\nnot closed",
      buildLog: { excerpt: "Step 3/9\nERROR: no matching distribution", lines: 2, url: LOG_URL },
    });
    const [effect] = planSpaceBuildEffects(failed).effects;
    expect(effect).toMatchObject({
      idempotencyKey: `space-build:${CHECK_RUN}:failure:BUILD_ERROR`,
      status: "completed",
      conclusion: "failure",
    });
    const output = effect?.type === "update-check-run" ? effect.output : undefined;
    expect(output?.title).toBe("Space Wauplin/gradio-user-history failed at 227c783: BUILD_ERROR");
    const lines = output?.summary.split("\n") ?? [];
    expect(lines.slice(0, 6)).toStrictEqual([
      `Space: [Wauplin/gradio-user-history](${SPACE_URL})`,
      "Stage: `BUILD_ERROR`",
      "Previous stage: `BUILDING`",
      "",
      "Error message from the Hub:",
      "",
    ]);
    // The message's own fence cannot end the block it is quoted in.
    expect(lines.slice(6, -2).join("\n")).toBe("```text\npip failed\n\u200B```\nnot closed\n```");
    expect(lines.at(-1)).toBe(
      `The last 2 lines of the build log are below; [the full build log](${LOG_URL}) is on the Hub.`,
    );
    expect(output?.text).toBe(
      [
        `Build log, last 2 lines ([full log](${LOG_URL})):`,
        "",
        "```text\nStep 3/9\nERROR: no matching distribution\n```",
      ].join("\n"),
    );
  });

  it.each(["RUNTIME_ERROR", "CONFIG_ERROR", "NO_APP_FILE"])("counts %s as a failure", (name) => {
    expect(planSpaceBuildEffects(stage(name)).effects[0]).toMatchObject({ conclusion: "failure" });
  });

  it.each(["STOPPED", "PAUSED", "SLEEPING", "DELETING"])(
    "ends the run as neutral when the Space is %s before its build finished",
    (name) => {
      const [effect] = planSpaceBuildEffects(stage(name)).effects;
      expect(effect).toMatchObject({ status: "completed", conclusion: "neutral" });
      expect(effect?.type === "update-check-run" && effect.output?.title).toBe(
        `Space Wauplin/gradio-user-history stopped (${name}) before its build finished`,
      );
    },
  );

  it("keeps a stage it does not know in progress", () => {
    expect(planSpaceBuildEffects(stage("WARMING_UP")).effects[0]).toMatchObject({
      status: "in_progress",
      idempotencyKey: `space-build:${CHECK_RUN}:in_progress:WARMING_UP`,
    });
  });

  it("ends a build overtaken by a newer commit as neutral, linking that commit", () => {
    const [effect] = planSpaceBuildEffects(stage("BUILDING", { supersededBy: NEWER })).effects;
    expect(effect).toStrictEqual({
      type: "update-check-run",
      idempotencyKey: `space-build:${CHECK_RUN}:neutral:BUILDING`,
      repo: { owner: "acme", repo: "app" },
      checkRun: CHECK_RUN,
      status: "completed",
      conclusion: "neutral",
      output: {
        title: "Superseded by 5e7f29f",
        summary: summary(
          "Stage: `BUILDING`",
          `A newer commit, [${NEWER}](${SPACE_URL}/commit/${NEWER}), is building instead.`,
        ),
      },
    });
  });

  it("ends a build that reached no terminal stage in time as timed_out", () => {
    const [effect] = planSpaceBuildEffects(stage("BUILDING", { timedOutAfterMinutes: 30 })).effects;
    expect(effect).toMatchObject({
      idempotencyKey: `space-build:${CHECK_RUN}:timed_out:BUILDING`,
      status: "completed",
      conclusion: "timed_out",
      output: {
        title: "Space Wauplin/gradio-user-history did not finish building 227c783 in time",
        summary: summary(
          "Stage: `BUILDING`",
          "No terminal stage within 30 minutes; the bridge stopped watching.",
        ),
      },
    });
  });

  it("says so when no check run follows a build of the Space", () => {
    const { build: _none, ...unfollowed } = stage("RUNNING");
    expect(planSpaceBuildEffects(unfollowed)).toStrictEqual({
      effects: [],
      reason: 'no check run follows a build of Space "Wauplin/gradio-user-history"',
    });
  });
});
