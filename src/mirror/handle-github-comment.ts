import { canSpeakForRepo } from "./can-speak-for-repo.ts";
import { findMirroredDiscussion } from "./find-mirrored-discussion.ts";
import type { WriteBackDeps, WriteBackOutcome } from "./write-back-deps.ts";

/** The part of an `issue_comment.created` payload the write-back reads. */
export interface GitHubCommentPayload {
  issue: { number: number; body?: string | null };
  comment: { id: number; body: string; user: { login: string; type: string } | null };
  repository: { name: string; full_name: string; owner: { login: string } };
}

/**
 * Posts a GitHub comment on a mirrored issue to its Hub discussion, attributed to its GitHub author,
 * when the route allows write-back and the author has write access. The Hub comment id is linked to
 * the GitHub comment, so the Hub's echo of it is not mirrored back as a new GitHub comment.
 */
export async function handleGitHubComment(
  deps: WriteBackDeps,
  payload: GitHubCommentPayload,
): Promise<WriteBackOutcome> {
  const { comment, repository } = payload;
  const login = comment.user?.login;
  if (login === undefined || comment.user?.type === "Bot") {
    return { action: "ignored", reason: "written by a bot (the bridge's own comments included)" };
  }
  const mirrored = await findMirroredDiscussion(deps, payload.issue.body, repository.full_name);
  if (!("hub" in mirrored)) return { action: "ignored", reason: mirrored.reason };
  if (!mirrored.settings.writeBack) {
    return { action: "ignored", reason: "discussions.writeBack is off for this route" };
  }
  const sent = `github-comment:${repository.full_name.toLowerCase()}:${comment.id}`;
  if (await deps.store.getLink(sent)) {
    return { action: "ignored", reason: `comment ${comment.id} was already posted to the Hub` };
  }
  const repo = { owner: repository.owner.login, repo: repository.name };
  const access = await canSpeakForRepo(deps.octokitFactory, repo, login);
  if (!access.allowed) {
    return {
      action: "ignored",
      reason: `${login} has "${access.permission}" access to ${repository.full_name}; only members with write access speak through the bot`,
    };
  }
  const { hub } = mirrored;
  const posted = await deps.hub.postComment(
    { type: hub.type, name: hub.name },
    hub.num,
    `${login} on GitHub wrote:\n\n${comment.body}`,
  );
  const linked = { kind: "comment", repo: repository.full_name, githubId: comment.id };
  await deps.store.putLink({
    key: `hub-comment:${posted.id}`,
    ...linked,
    state: { origin: "github" },
  });
  await deps.store.putLink({ key: sent, ...linked, state: { hubCommentId: posted.id } });
  return { action: "posted", hubCommentId: posted.id };
}
