import type { BridgeConfig } from "../config/config-schema.ts";
import type { Effect } from "../effects/effect.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import { githubMarkdown } from "../text/github-markdown.ts";
import { sha256 } from "../util/sha256.ts";
import type { PlannedEffects } from "./planned-effects.ts";
import { toGitHubRepoRef } from "./to-github-repo-ref.ts";

type AlarmEvent = Extract<BridgeEvent, { kind: "bridge.alarm" }>;

export const ALARM_ISSUE_TITLE = "hf-github-bridge needs attention";
/** One alarm issue per bridge and repo: created once, reopened and closed, never a second one. */
const ALARM_LINK = "bridge-alarm";
const CONTENT_HASH_LENGTH = 16;

/**
 * The alarm issue of `alerts.github`: created (or reopened) with what is wrong and how to fix it,
 * edited in place as that changes, closed when nothing is wrong. Edits, never comments: a bridge that
 * flaps changes one issue body, and notifies nobody more than GitHub does for an edit.
 */
export function planAlarmEffects(event: AlarmEvent, config: BridgeConfig): PlannedEffects {
  if (!config.alerts) return { effects: [], reason: "no alerts.github in the config" };
  const repo = toGitHubRepoRef(config.alerts.github);
  const body = alarmBody(event);
  const version = sha256(body).slice(0, CONTENT_HASH_LENGTH);
  if (event.problems.length === 0) {
    const effects: Effect[] = [
      {
        type: "update-issue",
        idempotencyKey: `update-issue:${ALARM_LINK}:${version}`,
        repo,
        issue: ALARM_LINK,
        body,
      },
      {
        type: "close-issue",
        idempotencyKey: `close-issue:${ALARM_LINK}:${event.seq}`,
        repo,
        issue: ALARM_LINK,
        reason: "completed",
      },
    ];
    return { effects };
  }
  return {
    effects: [
      {
        type: "create-issue",
        idempotencyKey: `create-issue:${ALARM_LINK}`,
        repo,
        link: ALARM_LINK,
        title: ALARM_ISSUE_TITLE,
        body,
        labels: [],
      },
      {
        type: "update-issue",
        idempotencyKey: `update-issue:${ALARM_LINK}:${version}`,
        repo,
        issue: ALARM_LINK,
        body,
      },
      {
        type: "reopen-issue",
        idempotencyKey: `reopen-issue:${ALARM_LINK}:${event.seq}`,
        repo,
        issue: ALARM_LINK,
      },
    ],
  };
}

function alarmBody(event: AlarmEvent): string {
  const when = { hubText: event.checkedAt };
  if (event.problems.length === 0) {
    return githubMarkdown`## All well\n\nNothing needs attention since ${when}. This issue reopens, with what is wrong, if that changes.`;
  }
  const sections = event.problems.map(
    (problem) =>
      // Title and fix are the bridge's own words; the detail quotes errors from outside, so it is escaped.
      githubMarkdown`### ${{ bridge: problem.title }}\n\n${{ hubText: problem.detail }}\n\n**How to fix:** ${{ bridge: problem.fix }}`,
  );
  return [
    githubMarkdown`## What is wrong (checked ${when})`,
    ...sections,
    "<sub>Kept up to date by hf-github-bridge (`alerts` in its config); it edits this text and closes the issue when all is well.</sub>",
  ].join("\n\n");
}
