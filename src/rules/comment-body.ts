import type { CommentRef, DiscussionRef, RepoRef } from "../events/bridge-event.ts";
import { discussionTemplateValues } from "./discussion-template-values.ts";
import { renderTemplate } from "./render-template.ts";

const DEFAULT_COMMENT_TEMPLATE =
  "Hub user `{{commentAuthor}}` [commented on the Hub]({{commentUrl}}):\n\n{{content}}";

const NO_TEXT = "_No text on the Hub._";

/** A mirrored Hub comment from the route's `discussions.commentTemplate` (or the default). */
export function commentBody(
  template: string | undefined,
  repo: RepoRef,
  discussion: DiscussionRef,
  comment: CommentRef,
): string {
  const values = discussionTemplateValues(repo, discussion, comment);
  if (!comment.content?.trim()) values.content = { bridge: NO_TEXT };
  return renderTemplate(
    template ?? DEFAULT_COMMENT_TEMPLATE,
    values,
    "discussions.commentTemplate",
    "markdown",
  );
}
