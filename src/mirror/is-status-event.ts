import type { DiscussionEvent } from "../rules/discussion-issue-effect.ts";

const STATUS_EVENTS = new Set<string>([
  "discussion.updated",
  "discussion.closed",
  "discussion.merged",
  "discussion.deleted",
]);

/** Whether the event reports the discussion's status (and so may change the state). */
export function isStatusEvent(kind: DiscussionEvent["kind"]): boolean {
  return STATUS_EVENTS.has(kind);
}
