import { classifySpaceStage } from "../checks/classify-space-stage.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import type { CheckRunConclusion, CheckRunOutput, Effect } from "./effect.ts";
import type { PlannedEffects } from "./plan-effects.ts";
import { toGitHubRepoRef } from "./to-github-repo-ref.ts";

type SpaceStageEvent = Extract<BridgeEvent, { kind: "space.stage-changed" }>;

const SHORT_SHA_LENGTH = 7;

/**
 * Moves the check run of a followed Space build along: in-between stages update its text, RUNNING
 * ends it as success, error stages as failure with the runtime's message, a newer commit as
 * neutral ("superseded"), and the poller's timeout as timed_out.
 */
export function planSpaceBuildEffects(event: SpaceStageEvent): PlannedEffects {
  const { build } = event;
  if (build === undefined) {
    return { effects: [], reason: `no check run follows a build of Space "${event.repo.name}"` };
  }
  const ending = conclusionFor(event);
  const effect: Effect = {
    type: "update-check-run",
    idempotencyKey: `space-build:${build.checkRun}:${ending ?? "in_progress"}:${event.stage}`,
    repo: toGitHubRepoRef(build.github),
    checkRun: build.checkRun,
    status: ending ? "completed" : "in_progress",
    ...(ending ? { conclusion: ending } : {}),
    output: outputFor(event),
  };
  return { effects: [effect] };
}

function conclusionFor(event: SpaceStageEvent): CheckRunConclusion | undefined {
  if (event.supersededBy !== undefined) return "neutral";
  if (event.timedOutAfterMinutes !== undefined) return "timed_out";
  switch (classifySpaceStage(event.stage)) {
    case "success":
      return "success";
    case "failure":
      return "failure";
    case "resting":
      return "neutral";
    case "in-progress":
      return undefined;
  }
}

function outputFor(event: SpaceStageEvent): CheckRunOutput {
  const name = event.repo.name;
  const sha = event.build?.hubSha.slice(0, SHORT_SHA_LENGTH) ?? "";
  const stage = `\`${event.stage}\``;
  const lines = [`Space: [${name}](${event.repo.webUrl})`, `Stage: ${stage}`];
  if (event.previousStage) lines.push(`Previous stage: \`${event.previousStage}\``);
  if (event.supersededBy !== undefined) {
    const newer = event.supersededBy;
    lines.push(
      `A newer commit, [${newer}](${event.repo.webUrl}/commit/${newer}), is building instead.`,
    );
    return {
      title: `Superseded by ${newer.slice(0, SHORT_SHA_LENGTH)}`,
      summary: lines.join("\n"),
    };
  }
  if (event.timedOutAfterMinutes !== undefined) {
    lines.push(
      `No terminal stage within ${event.timedOutAfterMinutes} minutes; the bridge stopped watching.`,
    );
    return {
      title: `Space ${name} did not finish building ${sha} in time`,
      summary: lines.join("\n"),
    };
  }
  if (event.errorMessage)
    lines.push("", "Error message from the Hub:", "", fence(event.errorMessage));
  const title = {
    success: `Space ${name} is running ${sha}`,
    failure: `Space ${name} failed at ${sha}: ${event.stage}`,
    resting: `Space ${name} stopped (${event.stage}) before its build finished`,
    "in-progress": `Space ${name} is building ${sha}: ${event.stage}`,
  }[classifySpaceStage(event.stage)];
  return { title, summary: lines.join("\n") };
}

/** A fence longer than any backtick run inside, so the Hub's message cannot end it early. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}text\n${text}\n${ticks}`;
}
