import type { PlannedEffect, WorkflowRunReport } from "../effects/effect.ts";
import type { HubClient, HubDiscussionEvent } from "../hub/create-hub-client.ts";
import { isMarkedHubComment } from "../hub/is-marked-hub-comment.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../jobs/executor.ts";
import { PermanentJobError } from "../jobs/job-errors.ts";
import { createKeyedLock } from "../mirror/create-keyed-lock.ts";
import { writeOnceOnHub } from "../mirror/write-once-on-hub.ts";
import type { LinkInput } from "../store/store.ts";
import type { WorkflowStatus } from "./render-outcome-comment.ts";
import { renderStatusComment, statusCommentMarker } from "./render-status-comment.ts";
import { type WorkflowRunRecord, workflowRunRecordKey } from "./workflow-run-record-key.ts";

type ChainEffect = Exclude<PlannedEffect, WorkflowRunReport>;

/** The newest run reported per PR and workflow, so a late webhook of an older run changes nothing. */
interface LatestReported {
  runId: number;
  attempt: number;
}

/**
 * Reports a finished run of a Hub PR's CI, started by the bridge, where people look: one status
 * comment per workflow on the Hub PR (the same one the Action's report step keeps, found by its
 * marker) and, when the PR is mirrored, one on the GitHub issue, both edited in place for each new
 * run. Everything else goes to `inner`, the comment on the issue too (its create is a createOnce).
 */
export function createRunReportExecutor(options: {
  inner: Executor<ChainEffect>;
  /** Writes the Hub status comment; undefined without HF_TOKEN. */
  hub: HubClient | undefined;
  /** How long a Hub write whose answer was lost may still land; only tests shorten it. */
  landingWindowMs?: number;
}): Executor<PlannedEffect> {
  const { inner, hub } = options;
  // Two runs of one PR finishing together must not both find no status comment and post two.
  const lock = createKeyedLock();

  async function execute(
    effect: PlannedEffect,
    context: ExecutionContext,
  ): Promise<ExecutedEffect> {
    if (effect.type !== "report-workflow-run") return inner.execute(effect, context);
    const { run } = effect;
    const record = (await context.store.getState(workflowRunRecordKey(effect.repo, run.id))) as
      | WorkflowRunRecord
      | null
      | undefined;
    if (!record) {
      return {
        status: "skipped",
        detail: `run ${run.id} of ${run.workflowName} was not started by the bridge for a Hub pull request (or GitHub named no run when it was started), so there is nothing to report it to`,
      };
    }
    if (hub === undefined) {
      throw new PermanentJobError(
        `reporting run ${run.id} to the Hub needs HF_TOKEN, which is not set: set it to a Hub token with write access to ${record.hubRepo.name}, then replay the job with "hf-bridge replay ${context.job.id}"`,
      );
    }
    const thread = `${record.discussion}:${run.workflowName}`;
    return lock(thread, () => report(effect, record, hub, thread, context), context);
  }

  async function report(
    effect: WorkflowRunReport,
    record: WorkflowRunRecord,
    hub: HubClient,
    thread: string,
    context: ExecutionContext,
  ): Promise<ExecutedEffect> {
    const { run } = effect;
    const { store } = context;
    const latestKey = `pr-ci-latest:${thread}`;
    const latest = (await store.getState(latestKey)) as LatestReported | null | undefined;
    if (
      latest &&
      (latest.runId > run.id || (latest.runId === run.id && latest.attempt > run.attempt))
    ) {
      return {
        status: "skipped",
        detail: `run ${run.id} finished after the newer run ${latest.runId} was reported; its status comment stays`,
      };
    }
    const text = renderStatusComment({
      status: toWorkflowStatus(run.conclusion),
      conclusion: run.conclusion,
      workflow: run.workflowName,
      runUrl: run.url,
      sha: record.headSha,
      ...(run.startedAt
        ? { durationMs: Date.parse(run.completedAt) - Date.parse(run.startedAt) }
        : {}),
    });
    const marker = statusCommentMarker(run.workflowName);
    const findMarked = async (): Promise<HubDiscussionEvent | undefined> => {
      const { events } = await hub.getDiscussion(record.hubRepo, record.num, {
        signal: context.signal,
      });
      return events.find((event) => isMarkedHubComment(event, marker));
    };
    const { value: onHub, found } = await writeOnceOnHub({
      store,
      intentKey: `hub-write-intent:pr-ci-status:${thread}`,
      what: `status comment of ${run.workflowName} on ${record.hubRepo.name} #${record.num}`,
      jobId: context.job.id,
      lookFirst: true,
      lookup: findMarked,
      write: async () => {
        context.signal.throwIfAborted();
        const { id } = await hub.postComment(record.hubRepo, record.num, text);
        return { id, type: "comment", data: { latest: { raw: text } } };
      },
      ...(options.landingWindowMs === undefined
        ? {}
        : { landingWindowMs: options.landingWindowMs }),
    });
    if (found && onHub.data?.latest?.raw !== text) {
      context.signal.throwIfAborted();
      await hub.editComment(record.hubRepo, record.num, onHub.id, text);
    }
    const links: LinkInput[] = [];
    const issue = await store.getLink(record.discussion);
    if (issue) {
      const commentLink = `pr-ci-status:${thread}`;
      const existing = await store.getLink(commentLink);
      const written = await inner.execute(
        existing
          ? {
              type: "update-comment",
              idempotencyKey: `${effect.idempotencyKey}:issue`,
              repo: effect.repo,
              comment: commentLink,
              body: text,
            }
          : {
              type: "create-comment",
              idempotencyKey: `${effect.idempotencyKey}:issue`,
              repo: effect.repo,
              issue: record.discussion,
              link: commentLink,
              body: text,
            },
        context,
      );
      links.push(...(written.links ?? []));
    }
    await store.setState(latestKey, {
      runId: run.id,
      attempt: run.attempt,
    } satisfies LatestReported);
    const onIssue = issue ? ` and on GitHub issue #${issue.githubNumber ?? issue.githubId}` : "";
    return {
      status: "done",
      detail: `${run.workflowName} run ${run.id} (${run.conclusion}, ${record.headSha.slice(0, 12)}) reported on ${record.hubRepo.name} #${record.num}${onIssue}`,
      url: run.url,
      ...(links.length > 0 ? { links } : {}),
    };
  }

  return { mode: inner.mode, execute };
}

/** GitHub's conclusions in the four words the status comment's headline has. */
function toWorkflowStatus(conclusion: string): WorkflowStatus {
  if (conclusion === "success" || conclusion === "cancelled" || conclusion === "skipped") {
    return conclusion;
  }
  return conclusion === "neutral" ? "skipped" : "failure";
}
