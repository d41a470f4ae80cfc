import type { CommentRef } from "../events/bridge-event.ts";

/** A mirrored Hub comment: who wrote it, the text, and a link back to it. */
export function commentBody(comment: CommentRef): string {
  const text =
    comment.content === undefined || comment.content.trim() === ""
      ? "_No text on the Hub._"
      : comment.content;
  return [
    `Hub user \`${comment.authorId ?? "unknown"}\` [commented on the Hub](${comment.webUrl}):`,
    text,
  ].join("\n\n");
}
