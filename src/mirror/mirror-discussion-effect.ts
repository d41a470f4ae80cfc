import type { Effect } from "../effects/effect.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../jobs/executor.ts";
import type { DiscussionEvent } from "../rules/discussion-issue-effect.ts";
import type { DiscussionSettings } from "../rules/resolve-discussion-settings.ts";
import type { LiveStatusReader } from "./create-live-status-reader.ts";
import { discussionHubState } from "./discussion-hub-state.ts";
import { ensureMirroredIssue } from "./ensure-mirrored-issue.ts";
import { hubStatusOf } from "./hub-status-rank.ts";
import { isStatusEvent } from "./is-status-event.ts";
import { laterStatus } from "./later-status.ts";
import { outdatedStatusReason } from "./outdated-status-reason.ts";
import { planMirroredComment } from "./plan-mirrored-comment.ts";
import { skippedEffect } from "./skipped-effect.ts";
import { stampLinkState } from "./stamp-link-state.ts";

/**
 * One effect about a discussion, under the discussion's lock: the issue first if it is missing, a
 * status older than the applied one skipped, the comment's revision checked, and the links stamped
 * with what the write applied.
 */
export async function mirrorDiscussionEffect(input: {
  inner: Executor;
  liveStatus: LiveStatusReader;
  effect: Effect;
  event: DiscussionEvent;
  issueKey: string;
  settings: DiscussionSettings;
  context: ExecutionContext;
}): Promise<ExecutedEffect> {
  const { inner, liveStatus, event, issueKey, context } = input;
  const issue = await ensureMirroredIssue(input);
  const outdated = await outdatedStatusReason({ event, issue, liveStatus, context });
  if (outdated !== undefined) return skippedEffect(outdated);
  const plan = await planMirroredComment(input);
  if ("outcome" in plan) return plan.outcome;

  const { planned, comment } = plan;
  const result = await inner.execute(planned, context);
  const links = [...(result.links ?? [])];
  const status = hubStatusOf(event);
  const appliesStatus = isStatusEvent(event.kind) || planned.type === "create-issue";
  stampLinkState(links, issue, issueKey, (state) => ({
    ...state,
    ...discussionHubState(event),
    hubStatus: laterStatus(state.hubStatus as string | undefined, status, appliesStatus),
  }));
  if (comment !== undefined) {
    stampLinkState(links, comment.link, comment.key, (state) => ({
      ...state,
      hubRevision: comment.revision,
    }));
  }
  // Recorded inside the lock too (the worker records them again with the result, harmlessly): the
  // next job about this discussion must see them, or it would create the issue a second time.
  for (const link of links) await context.store.putLink(link);
  return { ...result, links };
}
