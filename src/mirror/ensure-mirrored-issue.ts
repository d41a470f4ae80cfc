import type { Effect } from "../effects/effect.ts";
import type { ExecutionContext, Executor } from "../jobs/executor.ts";
import { type DiscussionEvent, discussionIssueEffect } from "../rules/discussion-issue-effect.ts";
import type { DiscussionSettings } from "../rules/resolve-discussion-settings.ts";
import type { Link } from "../store/store.ts";
import { discussionHubState } from "./discussion-hub-state.ts";
import { hubStatusOf } from "./hub-status-rank.ts";

/**
 * The discussion's issue link, the issue created first when a later event (an edit, a comment, a
 * close) arrives before the discussion's own: the effect needs the issue to exist.
 */
export async function ensureMirroredIssue(input: {
  inner: Executor;
  effect: Effect;
  event: DiscussionEvent;
  issueKey: string;
  settings: DiscussionSettings;
  context: ExecutionContext;
}): Promise<Link | undefined> {
  const { inner, effect, event, issueKey, settings, context } = input;
  const { store } = context;
  const issue = await store.getLink(issueKey);
  if (issue !== undefined || effect.type === "create-issue") return issue;
  const created = await inner.execute(discussionIssueEffect(event, effect.repo, settings), context);
  // Recorded now, not with this effect's result: the effect needs the issue to exist.
  for (const link of created.links ?? []) {
    await store.putLink({
      ...link,
      state: { ...link.state, ...discussionHubState(event), hubStatus: hubStatusOf(event) },
    });
  }
  return store.getLink(issueKey);
}
