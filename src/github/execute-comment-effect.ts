import type { Effect } from "../effects/effect.ts";
import type { ExecutedEffect } from "../jobs/executor.ts";
import { composeMarkedBody } from "./compose-marked-body.ts";
import { createOnce } from "./create-once.ts";
import type { EffectRun } from "./effect-run.ts";
import { findMarkedComment } from "./find-marked-comment.ts";
import { hashText } from "./hash-text.ts";
import { requireLink } from "./require-link.ts";

type CommentEffect = Extract<
  Effect,
  { type: "create-comment" | "update-comment" | "delete-comment" }
>;

/** Posts, edits and deletes mirrored comments; a comment is posted at most once per link. */
export async function executeCommentEffect(
  run: EffectRun,
  effect: CommentEffect,
): Promise<ExecutedEffect> {
  switch (effect.type) {
    case "create-comment":
      return createComment(run, effect);
    case "update-comment":
      return updateComment(run, effect);
    case "delete-comment":
      return deleteComment(run, effect);
  }
}

async function createComment(
  run: EffectRun,
  effect: Extract<Effect, { type: "create-comment" }>,
): Promise<ExecutedEffect> {
  const { client, repoName } = run;
  const { owner, repo } = effect.repo;
  const body = composeMarkedBody(effect, effect.link, run.markerKey);
  const bodyHash = hashText(body);
  const existing = await run.store.getLink(effect.link);
  if (existing !== undefined) {
    if (existing.state?.bodyHash === bodyHash) {
      return {
        status: "skipped",
        detail: `comment ${existing.githubId} already mirrors ${effect.link}`,
      };
    }
    return editComment(run, effect, existing, body);
  }

  const issue = await run.store.getLink(effect.issue);
  if (issue?.githubNumber === undefined) {
    // Jobs can run out of order (the comment's job before the one that mirrors its discussion), so
    // this is retried with backoff; a discussion that is never mirrored dead-letters after the
    // worker's last attempt with this reason.
    throw new Error(
      `the issue for ${effect.issue} is not mirrored yet, so comment ${effect.link} has nowhere to go`,
    );
  }
  const issueNumber = issue.githubNumber;
  const { value: comment, how } = await createOnce(run, {
    key: effect.link,
    kind: "comment",
    what: `comment with the marker of ${effect.link}`,
    lookup: () => findMarkedComment(run, effect.repo, issueNumber, effect.link),
    foundBy: "its marker",
    verb: "posted",
    writeKind: "content",
    description: `comment on ${repoName}#${issueNumber}`,
    post: async (request) =>
      (
        await client.octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          owner,
          repo,
          issue_number: issueNumber,
          body,
          request,
        })
      ).data,
  });
  return {
    status: "done",
    detail: `comment on #${issueNumber} ${how}`,
    githubId: Number(comment.id),
    url: comment.html_url,
    // Recording the link resolves the create's intent.
    links: [
      {
        key: effect.link,
        kind: "comment",
        repo: repoName,
        githubId: Number(comment.id),
        state: { bodyHash },
      },
    ],
  };
}

async function updateComment(
  run: EffectRun,
  effect: Extract<Effect, { type: "update-comment" }>,
): Promise<ExecutedEffect> {
  const link = await requireLink(run.store, effect.comment, "comment");
  const body = composeMarkedBody(effect, link.key, run.markerKey);
  if (link.state?.bodyHash === hashText(body)) {
    return { status: "skipped", detail: `comment ${link.githubId} already has this text` };
  }
  return editComment(run, effect, link, body);
}

async function editComment(
  run: EffectRun,
  effect: CommentEffect,
  link: {
    key: string;
    kind: string;
    repo: string;
    githubId: number;
    state?: Record<string, unknown>;
  },
  body: string,
): Promise<ExecutedEffect> {
  const { data } = await run.send(
    "write",
    `edit comment ${link.githubId} in ${run.repoName}`,
    (request) =>
      run.client.octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        owner: effect.repo.owner,
        repo: effect.repo.repo,
        comment_id: link.githubId,
        body,
        request,
      }),
  );
  return {
    status: "done",
    detail: `comment ${data.id} edited`,
    githubId: Number(data.id),
    url: data.html_url,
    links: [{ ...link, state: { ...link.state, bodyHash: hashText(body) } }],
  };
}

async function deleteComment(
  run: EffectRun,
  effect: Extract<Effect, { type: "delete-comment" }>,
): Promise<ExecutedEffect> {
  const link = await run.store.getLink(effect.comment);
  if (link === undefined) {
    return { status: "skipped", detail: `no GitHub comment is linked to ${effect.comment}` };
  }
  if (link.state?.deleted === true) {
    return { status: "skipped", detail: `comment ${link.githubId} was already deleted` };
  }
  const gone = { ...link, state: { ...link.state, deleted: true } };
  const outcome = await run.send(
    "write",
    `delete comment ${link.githubId} in ${run.repoName}`,
    (request) =>
      run.client.octokit
        .request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", {
          owner: effect.repo.owner,
          repo: effect.repo.repo,
          comment_id: link.githubId,
          request,
        })
        .then(
          () => "deleted" as const,
          (error: { status?: number }) => {
            // Someone deleted it on GitHub first: the goal is met.
            if (error.status === 404) return "already gone" as const;
            throw error;
          },
        ),
  );
  return {
    status: outcome === "deleted" ? "done" : "skipped",
    detail: `comment ${link.githubId} ${outcome}`,
    links: [gone],
  };
}
