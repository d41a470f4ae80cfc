import type { CommentRef } from "../events/bridge-event.ts";
import { githubMarkdown } from "../text/github-markdown.ts";

/** Replaces a mirrored comment hidden on the Hub; the old text is dropped, as the Hub dropped it. */
export function hiddenCommentBody(comment: CommentRef): string {
  return githubMarkdown`_This comment was [hidden on the Hub](${{ hubUrl: comment.webUrl }}); its text is no longer mirrored._`;
}
