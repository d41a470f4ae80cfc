import type { Logger } from "pino";
import type { PlannedEffect } from "../effects/effect.ts";
import type { Executor } from "../jobs/executor.ts";

/**
 * Shows what the bridge would do without a GitHub credential: each effect becomes a "planned" result
 * with a one-line description, logged and kept in the job's outcome. It performs no I/O and records
 * nothing itself; the worker records the result like any other.
 */
export function createDryRunExecutor(options: { logger: Logger }): Executor<PlannedEffect> {
  const { logger } = options;
  return {
    mode: "dry-run",
    execute(effect, { job }) {
      const detail = describeEffect(effect);
      logger.info(
        { jobId: job.id, idempotencyKey: effect.idempotencyKey },
        `dry-run, not sent: ${detail}`,
      );
      return Promise.resolve({ status: "planned", detail });
    },
  };
}

function describeEffect(effect: PlannedEffect): string {
  const where = `${effect.repo.owner}/${effect.repo.repo}`;
  switch (effect.type) {
    case "create-issue":
      return `create issue in ${where} titled ${JSON.stringify(effect.title)} with labels [${(effect.labels ?? []).join(", ")}] as ${effect.link}`;
    case "update-issue":
      return `update issue ${effect.issue} in ${where}${effect.title === undefined ? "" : ` to title ${JSON.stringify(effect.title)}`}${effect.body === undefined ? "" : " with a new body"}`;
    case "close-issue":
      return `close issue ${effect.issue} in ${where} as ${effect.reason}`;
    case "reopen-issue":
      return `reopen issue ${effect.issue} in ${where}`;
    case "add-labels":
      return `add labels [${effect.labels.join(", ")}] to issue ${effect.issue} in ${where}`;
    case "remove-labels":
      return `remove labels [${effect.labels.join(", ")}] from issue ${effect.issue} in ${where}`;
    case "create-comment":
      return `comment on issue ${effect.issue} in ${where} as ${effect.link} (${effect.body.length} characters)`;
    case "update-comment":
      return `update comment ${effect.comment} in ${where} (${effect.body.length} characters)`;
    case "delete-comment":
      return `delete comment ${effect.comment} in ${where}`;
    case "create-check-run":
      return `create check run ${JSON.stringify(effect.name)} on ${effect.headSha} in ${where} (${effect.conclusion ?? effect.status}) as ${effect.link}`;
    case "update-check-run":
      return `update check run ${effect.checkRun} in ${where} (${effect.conclusion ?? effect.status ?? "output only"})`;
    case "repository-dispatch":
      return `send repository_dispatch ${JSON.stringify(effect.eventType)} to ${where}`;
    case "workflow-dispatch":
      return `run workflow ${effect.workflow} on ${effect.ref} in ${where}${effect.inputs ? ` with inputs ${JSON.stringify(effect.inputs)}` : ""}`;
    case "create-hub-comment":
      return `post ${effect.link} (by ${effect.author}, ${effect.body.length} characters) to the Hub discussion ${effect.discussion}`;
    case "close-hub-discussion":
      return `close the Hub discussion ${effect.discussion}, as ${effect.closedBy} closed ${where}#${effect.issueNumber}`;
    case "report-workflow-run":
      return `report run ${effect.run.id} of ${effect.run.workflowName} (${effect.run.conclusion}) in ${where} on the Hub pull request it tested`;
  }
}
