import type { DiscussionEvent } from "../rules/discussion-issue-effect.ts";

/**
 * Hub payloads carry no timestamp or version, so the order of the Hub's own state is what its status
 * says: draft, open and closed alternate, a merge and then a deletion are final. A status of a lower
 * rank than the one applied is older and is never applied; equal ranks apply in arrival order (a
 * reopen after a close is real).
 */
const RANKS: Record<string, number> = { draft: 1, open: 1, closed: 1, merged: 2, deleted: 3 };

/** The status the event reports, with a deletion counted as its own, final status. */
export function hubStatusOf(event: DiscussionEvent): string {
  return event.kind === "discussion.deleted" ? "deleted" : event.discussion.status;
}

export function hubStatusRank(status: string): number {
  // An unknown future status is applied as it comes rather than frozen out.
  return RANKS[status] ?? 1;
}
