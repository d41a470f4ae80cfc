import type { Effect } from "../effects/effect.ts";
import type { DiscussionEvent } from "../rules/discussion-issue-effect.ts";
import type { DiscussionSettings } from "../rules/resolve-discussion-settings.ts";
import type { RepoVisibility } from "./create-repo-visibility.ts";

/**
 * Why the event is not mirrored at all, or undefined: a private Hub repo into a public GitHub repo
 * without the route's consent, or a comment the bridge itself wrote (an echo of a GitHub comment).
 */
export async function mirrorPolicySkipReason(input: {
  effect: Effect;
  event: DiscussionEvent;
  settings: DiscussionSettings;
  visibility: RepoVisibility;
  hubAccountId: string | undefined;
}): Promise<string | undefined> {
  const { effect, event, settings, visibility, hubAccountId } = input;
  if (event.repo.private && !settings.mirrorPrivateIntoPublic) {
    if (!(await visibility.isPrivate(effect.repo))) {
      return `skipped by policy: ${event.repo.type} ${event.repo.name} is private on the Hub and ${effect.repo.owner}/${effect.repo.repo} is public on GitHub; set discussions.mirrorPrivateIntoPublic: true on the route to mirror it anyway`;
    }
  }
  if (
    hubAccountId !== undefined &&
    "comment" in event &&
    event.comment?.authorId === hubAccountId
  ) {
    return "written by the bridge's own Hub account: an echo of a GitHub comment";
  }
  return undefined;
}
