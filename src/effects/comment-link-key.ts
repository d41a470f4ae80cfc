import type { CommentRef } from "../events/bridge-event.ts";
import type { LinkKey } from "./effect.ts";

/** Hub comment ids are unique across the Hub, so the id alone names the comment. */
export function commentLinkKey(comment: CommentRef): LinkKey {
  return `hub-comment:${comment.id}`;
}
