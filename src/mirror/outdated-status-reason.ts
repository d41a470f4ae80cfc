import type { ExecutionContext } from "../jobs/executor.ts";
import type { DiscussionEvent } from "../rules/discussion-issue-effect.ts";
import type { Link } from "../store/store.ts";
import type { LiveStatusReader } from "./create-live-status-reader.ts";
import { hubStatusOf, hubStatusRank } from "./hub-status-rank.ts";
import { isStatusEvent } from "./is-status-event.ts";

/**
 * Why a status event (an update, close, merge or deletion) must not be applied, or undefined: its
 * status is older than the one the issue shows, or, at an equal rank, the Hub has moved on since.
 */
export async function outdatedStatusReason(input: {
  event: DiscussionEvent;
  issue: Link | undefined;
  liveStatus: LiveStatusReader;
  context: ExecutionContext;
}): Promise<string | undefined> {
  const { event, issue, liveStatus, context } = input;
  const status = hubStatusOf(event);
  const appliedStatus = issue?.state?.hubStatus as string | undefined;
  if (!isStatusEvent(event.kind) || appliedStatus === undefined) return undefined;
  if (hubStatusRank(status) < hubStatusRank(appliedStatus)) {
    return `the Hub status "${status}" is older than the applied "${appliedStatus}"`;
  }
  if (status !== appliedStatus && hubStatusRank(status) === hubStatusRank(appliedStatus)) {
    const live = await liveStatus(event, context);
    if (live !== undefined && live !== status) {
      return `the Hub now reports "${live}", not "${status}": this delivery is older than the change to "${live}", which its own delivery mirrors`;
    }
  }
  return undefined;
}
