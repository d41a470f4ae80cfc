export type WorkflowStatus = "success" | "failure" | "cancelled" | "skipped";

const HEADLINES: Record<WorkflowStatus, string> = {
  success: "✅ succeeded",
  failure: "❌ failed",
  cancelled: "⚪ was cancelled",
  skipped: "⏭️ was skipped",
};

/** The comment that tells the Hub discussion or the endpoint card how the workflow went. */
export function renderOutcomeComment(outcome: {
  status: WorkflowStatus;
  workflow: string;
  runUrl: string;
  summary?: string;
}): string {
  const headline = `**GitHub workflow \`${outcome.workflow.replace(/`/g, "'")}\` ${HEADLINES[outcome.status]}**: ${outcome.runUrl}`;
  const summary = outcome.summary?.trim();
  return summary ? `${headline}\n\n${summary}` : headline;
}
