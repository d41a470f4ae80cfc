import type { DiscussionRef } from "../events/bridge-event.ts";

/** The note left on a mirrored issue whose Hub discussion was deleted; the issue itself is kept. */
export function deletedDiscussionNote(discussion: DiscussionRef): string {
  const what = discussion.isPullRequest ? "pull request" : "discussion";
  return `_The Hub ${what} #${discussion.num} was deleted, so this issue is closed. Its earlier mirrored text stays here._`;
}
