import { canSpeakForRepo } from "./can-speak-for-repo.ts";
import { findMirroredDiscussion } from "./find-mirrored-discussion.ts";
import type { WriteBackDeps, WriteBackOutcome } from "./write-back-deps.ts";

/** The part of an `issues.closed` payload the write-back reads. */
export interface GitHubIssueClosedPayload {
  issue: { number: number; body?: string | null };
  sender: { login: string; type: string };
  repository: { name: string; full_name: string; owner: { login: string } };
}

/**
 * Closes the Hub discussion when a member closes its mirrored issue and the route sets
 * `closeOnHub`. The bridge's own closes (mirroring a Hub close) come from a bot and are ignored.
 */
export async function handleGitHubIssueClosed(
  deps: WriteBackDeps,
  payload: GitHubIssueClosedPayload,
): Promise<WriteBackOutcome> {
  const { sender, repository } = payload;
  if (sender.type === "Bot") {
    return {
      action: "ignored",
      reason: "closed by a bot (the bridge mirroring a Hub close included)",
    };
  }
  const mirrored = await findMirroredDiscussion(deps, payload.issue.body, repository.full_name);
  if (!("hub" in mirrored)) return { action: "ignored", reason: mirrored.reason };
  if (!mirrored.settings.writeBack || !mirrored.settings.closeOnHub) {
    return { action: "ignored", reason: "discussions.writeBack and closeOnHub are not both on" };
  }
  const repo = { owner: repository.owner.login, repo: repository.name };
  const access = await canSpeakForRepo(deps.octokitFactory, repo, sender.login);
  if (!access.allowed) {
    return {
      action: "ignored",
      reason: `${sender.login} has "${access.permission}" access to ${repository.full_name}; only members with write access close Hub discussions`,
    };
  }
  const { hub } = mirrored;
  await deps.hub.setStatus(
    { type: hub.type, name: hub.name },
    hub.num,
    "closed",
    `${sender.login} closed the mirrored GitHub issue.`,
  );
  return { action: "closed" };
}
