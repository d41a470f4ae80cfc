import type { CheckRunConclusion, CheckRunOutput, Effect } from "../effects/effect.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import { githubMarkdown } from "../text/github-markdown.ts";
import { githubTitle } from "../text/github-title.ts";
import { classifySpaceStage } from "./classify-space-stage.ts";
import type { PlannedEffects } from "./planned-effects.ts";
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
  const name = { hubText: event.repo.name };
  const sha = { hubText: event.build?.hubSha.slice(0, SHORT_SHA_LENGTH) ?? "" };
  const stage = { hubText: event.stage };
  const lines = [
    githubMarkdown`Space: [${name}](${{ hubUrl: event.repo.webUrl }})`,
    githubMarkdown`Stage: \`${stage}\``,
  ];
  if (event.previousStage) {
    lines.push(githubMarkdown`Previous stage: \`${{ hubText: event.previousStage }}\``);
  }
  if (event.supersededBy !== undefined) {
    const newer = event.supersededBy;
    lines.push(
      githubMarkdown`A newer commit, [${{ hubText: newer }}](${{ hubUrl: `${event.repo.webUrl}/commit/${newer}` }}), is building instead.`,
    );
    return {
      title: githubTitle`Superseded by ${{ hubText: newer.slice(0, SHORT_SHA_LENGTH) }}`,
      summary: lines.join("\n"),
    };
  }
  if (event.timedOutAfterMinutes !== undefined) {
    lines.push(
      `No terminal stage within ${event.timedOutAfterMinutes} minutes; the bridge stopped watching.`,
    );
    return {
      title: githubTitle`Space ${name} did not finish building ${sha} in time`,
      summary: lines.join("\n"),
    };
  }
  if (event.errorMessage) {
    lines.push("", "Error message from the Hub:", "", fence(event.errorMessage));
  }
  const log = event.buildLog;
  if (log) {
    lines.push(
      "",
      githubMarkdown`The last ${{ bridge: String(log.lines) }} lines of the build log are below; [the full build log](${{ hubUrl: log.url }}) is on the Hub.`,
    );
  }
  const title = {
    success: githubTitle`Space ${name} is running ${sha}`,
    failure: githubTitle`Space ${name} failed at ${sha}: ${stage}`,
    resting: githubTitle`Space ${name} stopped (${stage}) before its build finished`,
    "in-progress": githubTitle`Space ${name} is building ${sha}: ${stage}`,
  }[classifySpaceStage(event.stage)];
  if (!log) return { title, summary: lines.join("\n") };
  return {
    title,
    summary: lines.join("\n"),
    // Lines that looked like secrets were hidden when the log was read (build-log-excerpt.ts).
    text: [
      githubMarkdown`Build log, last ${{ bridge: String(log.lines) }} lines ([full log](${{ hubUrl: log.url }})):`,
      "",
      fence(log.excerpt),
    ].join("\n"),
  };
}

/** The Hub's message as it was written, in a code block its lines cannot close. */
function fence(text: string): string {
  return githubMarkdown`\`\`\`text
${{ hubText: text }}
\`\`\``;
}
