import type { DiscussionRef } from "../events/bridge-event.ts";
import { githubMarkdown } from "../text/github-markdown.ts";

/** The note on a mirrored issue whose Hub pull request was merged: into what, and as which commit. */
export function mergedDiscussionNote(discussion: DiscussionRef): string {
  const into =
    discussion.baseRef === undefined
      ? ""
      : githubMarkdown` into \`${{ hubText: discussion.baseRef }}\``;
  const commit =
    discussion.mergeCommitId === undefined
      ? ""
      : githubMarkdown` as commit \`${{ hubText: discussion.mergeCommitId }}\``;
  return githubMarkdown`_The Hub pull request [#${{ hubText: String(discussion.num) }}](${{ hubUrl: discussion.webUrl }}) was merged${{ bridge: into }}${{ bridge: commit }}, so this issue is closed as completed._`;
}
