import type { Effect } from "../effects/effect.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../jobs/executor.ts";
import type { Link, LinkInput } from "../store/store.ts";

/**
 * GitHub keeps every version of an edited comment in its edit history, readable by anyone who can
 * read the issue, so editing the copy would keep the hidden text: the copy is deleted and the notice
 * is posted as a comment of its own, under its own link, whichever order the Hub's events came in.
 */
export async function replaceHiddenComment(input: {
  inner: Executor;
  effect: Extract<Effect, { type: "update-comment" }>;
  issueKey: string;
  commentKey: string;
  commentLink: Link | undefined;
  hiddenRevision: number;
  context: ExecutionContext;
}): Promise<ExecutedEffect> {
  const { inner, effect, issueKey, commentKey, commentLink, hiddenRevision, context } = input;
  const { store } = context;
  const links: LinkInput[] = [];
  if (commentLink !== undefined && commentLink.state?.hubRevision !== hiddenRevision) {
    const deleted = await inner.execute(
      {
        type: "delete-comment",
        idempotencyKey: `${effect.idempotencyKey}:delete-copy`,
        repo: effect.repo,
        comment: commentKey,
      },
      context,
    );
    for (const link of deleted.links ?? []) {
      const tombstone = { ...link, state: { ...link.state, hubRevision: hiddenRevision } };
      // Recorded before the notice: a retry after a crash here must not look for the copy again.
      await store.putLink(tombstone);
      links.push(tombstone);
    }
  }
  const noticeKey = `${commentKey}:hidden-notice`;
  const notice = await inner.execute(
    {
      type: "create-comment",
      idempotencyKey: `${effect.idempotencyKey}:notice`,
      repo: effect.repo,
      issue: issueKey,
      link: noticeKey,
      body: effect.body,
    },
    context,
  );
  const posted = notice.links?.find((link) => link.key === noticeKey);
  if (posted !== undefined) links.push(posted);
  if (commentLink === undefined && posted !== undefined) {
    // Hidden before it was ever mirrored: remembered as hidden, so a late create or edit is not posted.
    links.push({
      key: commentKey,
      kind: "comment",
      repo: posted.repo,
      githubId: posted.githubId,
      state: { hubRevision: hiddenRevision, hiddenNotice: noticeKey },
    });
  }
  for (const link of links) await store.putLink(link);
  return { ...notice, links };
}
