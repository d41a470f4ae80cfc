import { renderOutcomeComment, type WorkflowStatus } from "./render-outcome-comment.ts";

/** How many characters of the head SHA the comment shows, as GitHub abbreviates commits. */
const SHORT_SHA_CHARS = 7;

/** The hidden first line by which the report step (and the bridge) finds this workflow's status comment again. */
export function statusCommentMarker(workflow: string): string {
  return `<!-- hf-github-bridge:status workflow=${encodeURIComponent(workflow)} -->`;
}

/**
 * The one status comment per workflow on a Hub discussion or PR, rewritten for every run: workflow,
 * head SHA tested, conclusion, run link, duration.
 */
export function renderStatusComment(outcome: {
  status: WorkflowStatus;
  workflow: string;
  runUrl: string;
  sha?: string;
  /** GitHub's own word when it says more than `status` (timed_out, startup_failure). */
  conclusion?: string;
  /** Milliseconds from the started-at input to now; undefined when started-at was not given. */
  durationMs?: number;
  summary?: string;
}): string {
  const lines = [
    statusCommentMarker(outcome.workflow),
    renderOutcomeComment({
      status: outcome.status,
      workflow: outcome.workflow,
      runUrl: outcome.runUrl,
    }),
    "",
    `- Head SHA: ${outcome.sha ? `\`${outcome.sha.slice(0, SHORT_SHA_CHARS)}\`` : "not in the dispatch payload"}`,
    `- Conclusion: ${outcome.conclusion ?? outcome.status}`,
    `- Run: ${outcome.runUrl}`,
    `- Duration: ${outcome.durationMs === undefined ? "not measured (pass the started-at input)" : formatDuration(outcome.durationMs)}`,
  ];
  const summary = outcome.summary?.trim();
  if (summary) lines.push("", summary);
  return lines.join("\n");
}

function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}
