import { commentLinkKey } from "../effects/comment-link-key.ts";
import type { Effect } from "../effects/effect.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../jobs/executor.ts";
import type { DiscussionEvent } from "../rules/discussion-issue-effect.ts";
import type { Link } from "../store/store.ts";
import { commentRevision } from "./comment-revision.ts";
import { replaceHiddenComment } from "./replace-hidden-comment.ts";
import { skippedEffect } from "./skipped-effect.ts";

/** The comment link a comment write stamps with the Hub revision it shows. */
export interface MirroredComment {
  key: string;
  link: Link | undefined;
  revision: number;
}

export type MirroredCommentPlan =
  | { outcome: ExecutedEffect }
  | { planned: Effect; comment?: MirroredComment };

/**
 * What a comment create, edit or hide becomes on GitHub: skipped (written from GitHub, or a later
 * revision is already shown), the hidden comment replaced (done here), or the write to make, an edit
 * of a comment never mirrored becoming its post. Any other effect is planned as it is.
 */
export async function planMirroredComment(input: {
  inner: Executor;
  effect: Effect;
  event: DiscussionEvent;
  issueKey: string;
  context: ExecutionContext;
}): Promise<MirroredCommentPlan> {
  const { inner, effect, event, issueKey, context } = input;
  const commentKey =
    "comment" in event && event.comment ? commentLinkKey(event.comment) : undefined;
  if (
    commentKey === undefined ||
    (effect.type !== "create-comment" && effect.type !== "update-comment")
  ) {
    return { planned: effect };
  }
  const revision = commentRevision(event.kind);
  const commentLink = await context.store.getLink(commentKey);
  if (commentLink?.state?.origin === "github") {
    return {
      outcome: skippedEffect(
        `${commentKey} was written from GitHub; its Hub echo is not mirrored back`,
      ),
    };
  }
  const applied = commentLink?.state?.hubRevision as number | undefined;
  if (applied !== undefined && (revision < applied || (revision === 0 && applied > 0))) {
    return { outcome: skippedEffect(`${commentKey} already shows a later Hub revision`) };
  }
  if (event.kind === "comment.hidden" && effect.type === "update-comment") {
    return {
      outcome: await replaceHiddenComment({
        inner,
        effect,
        issueKey,
        commentKey,
        commentLink,
        hiddenRevision: revision,
        context,
      }),
    };
  }
  const comment = { key: commentKey, link: commentLink, revision };
  if (commentLink === undefined && effect.type === "update-comment") {
    // An edit or a hide that arrives before the comment itself: post the comment as it is now.
    const planned: Effect = {
      type: "create-comment",
      idempotencyKey: effect.idempotencyKey,
      repo: effect.repo,
      issue: issueKey,
      link: commentKey,
      body: effect.body,
      ...(effect.sourceUrl === undefined ? {} : { sourceUrl: effect.sourceUrl }),
    };
    return { planned, comment };
  }
  return { planned: effect, comment };
}
