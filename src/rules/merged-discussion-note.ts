import type { DiscussionRef } from "../events/bridge-event.ts";

/** The note on a mirrored issue whose Hub pull request was merged: into what, and as which commit. */
export function mergedDiscussionNote(discussion: DiscussionRef): string {
  const into = discussion.baseRef === undefined ? "" : ` into \`${discussion.baseRef}\``;
  const commit =
    discussion.mergeCommitId === undefined ? "" : ` as commit \`${discussion.mergeCommitId}\``;
  return `_The Hub pull request [#${discussion.num}](${discussion.webUrl}) was merged${into}${commit}, so this issue is closed as completed._`;
}
