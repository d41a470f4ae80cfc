import type { DiscussionRef } from "../events/bridge-event.ts";
import { githubMarkdown } from "../text/github-markdown.ts";

/** The note left on a mirrored issue whose Hub discussion was deleted; the issue itself is kept. */
export function deletedDiscussionNote(discussion: DiscussionRef): string {
  const what = discussion.isPullRequest ? "pull request" : "discussion";
  // The number is the Hub's: a bare `#3` would reference this repo's issue 3, so it is linked instead.
  return githubMarkdown`_The Hub ${{ bridge: what }} [#${{ hubText: String(discussion.num) }}](${{ hubUrl: discussion.webUrl }}) was deleted, so this issue is closed. Its earlier mirrored text stays here._`;
}
