import type { CommentRef } from "../events/bridge-event.ts";

/** Replaces a mirrored comment hidden on the Hub; the old text is dropped, as the Hub dropped it. */
export function hiddenCommentBody(comment: CommentRef): string {
  return `_This comment was [hidden on the Hub](${comment.webUrl}); its text is no longer mirrored._`;
}
