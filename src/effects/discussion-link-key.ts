import type { DiscussionRef, RepoRef } from "../events/bridge-event.ts";
import type { LinkKey } from "./effect.ts";

/** Keyed by the Hub repo id, not its name, so the link survives a repo rename or move. */
export function discussionLinkKey(repo: RepoRef, discussion: DiscussionRef): LinkKey {
  return `hub-discussion:${repo.id}:${discussion.num}`;
}
