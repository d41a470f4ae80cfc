import type { DiscussionEvent } from "../rules/discussion-issue-effect.ts";

/** The Hub discussion an issue link mirrors, kept in the link's state. */
export function discussionHubState(event: DiscussionEvent) {
  return { hub: { type: event.repo.type, name: event.repo.name, num: event.discussion.num } };
}
