import type { CommentRef, DiscussionRef, RepoRef } from "../events/bridge-event.ts";
import { discussionTemplateValues } from "./discussion-template-values.ts";
import { renderTemplate } from "./render-template.ts";

/**
 * The opening post first, then where it came from. Hub payloads carry only the author's user id; the
 * job looks the username up (the id stays when it cannot), so `{{author}}` is usually the name.
 */
const DEFAULT_ISSUE_BODY_TEMPLATE = defaultTemplate(
  "_Mirrored from the Hub; reply there to take part._",
);

/** With `writeBack`, a member's reply here does reach the Hub, so the footer must not say otherwise. */
const WRITE_BACK_ISSUE_BODY_TEMPLATE = defaultTemplate(
  "_Mirrored from the Hub; comments here by members with write access are posted there too._",
);

function defaultTemplate(footer: string): string {
  return [
    "{{content}}",
    "---",
    footer,
    [
      "- Hub {{kind}}: [{{repo}} #{{num}}]({{url}})",
      "- Author: Hub user `{{author}}`",
      "- Pull request: {{pullRequest}}",
    ].join("\n"),
  ].join("\n\n");
}

const NO_DESCRIPTION = "_No description on the Hub._";

/** The mirrored issue's body from the route's `discussions.bodyTemplate` (or the default). */
export function discussionIssueBody(
  template: string | undefined,
  repo: RepoRef,
  discussion: DiscussionRef,
  firstComment: CommentRef | undefined,
  writeBack = false,
): string {
  const values = discussionTemplateValues(repo, discussion, firstComment);
  if (!firstComment?.content?.trim()) values.content = { bridge: NO_DESCRIPTION };
  return renderTemplate(
    template ?? (writeBack ? WRITE_BACK_ISSUE_BODY_TEMPLATE : DEFAULT_ISSUE_BODY_TEMPLATE),
    values,
    "discussions.bodyTemplate",
    "markdown",
  );
}
