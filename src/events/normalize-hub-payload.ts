import type { HubComment, HubDiscussion, HubPayloadV3, HubRepo } from "../hf/hub-payload-schema.ts";
import type { BridgeEvent, CommentRef, DiscussionRef, RepoRef } from "./bridge-event.ts";

const HUB_WEB = "https://huggingface.co";

/** Maps a parsed v3 payload onto the event union. Scope and action were checked by the parser. */
export function normalizeHubPayload(payload: HubPayloadV3): BridgeEvent {
  const repo = toRepoRef(payload.repo);
  const { scope, action } = payload.event;
  switch (scope) {
    case "repo.content":
      return {
        kind: "content.updated",
        repo,
        headSha: payload.repo.headSha,
        refs: payload.updatedRefs ?? [],
      };
    case "repo.config":
      return {
        kind: "config.updated",
        repo,
        headSha: payload.repo.headSha,
        config: payload.updatedConfig ?? {},
      };
    case "discussion":
      return discussionEvent(action, repo, payload);
    case "discussion.comment":
      return commentEvent(action, repo, payload);
    default:
      return repoEvent(action, repo, payload);
  }
}

function repoEvent(action: string, repo: RepoRef, payload: HubPayloadV3): BridgeEvent {
  if (action === "create") return { kind: "repo.created", repo };
  if (action === "delete") return { kind: "repo.deleted", repo };
  if (action === "move") return { kind: "repo.moved", repo, movedTo: payload.movedTo?.name ?? "" };
  return { kind: "repo.updated", repo };
}

function discussionEvent(action: string, repo: RepoRef, payload: HubPayloadV3): BridgeEvent {
  const discussion = toDiscussionRef(requireField(payload.discussion, "discussion"), repo);
  if (action === "create") {
    const comment = payload.comment ? toCommentRef(payload.comment, discussion) : undefined;
    return { kind: "discussion.opened", repo, discussion, ...(comment ? { comment } : {}) };
  }
  if (action === "delete") return { kind: "discussion.deleted", repo, discussion };
  if (discussion.status === "closed") return { kind: "discussion.closed", repo, discussion };
  if (discussion.status === "merged") return { kind: "discussion.merged", repo, discussion };
  return { kind: "discussion.updated", repo, discussion };
}

function commentEvent(action: string, repo: RepoRef, payload: HubPayloadV3): BridgeEvent {
  const discussion = toDiscussionRef(requireField(payload.discussion, "discussion"), repo);
  const comment = toCommentRef(requireField(payload.comment, "comment"), discussion);
  if (action === "create") return { kind: "comment.created", repo, discussion, comment };
  if (comment.hidden) return { kind: "comment.hidden", repo, discussion, comment };
  return { kind: "comment.edited", repo, discussion, comment };
}

function requireField<T>(value: T | undefined, name: string): T {
  if (value === undefined)
    throw new Error(`payload has no ${name}; parseHubPayload should have refused it`);
  return value;
}

export function hubWebUrl(type: RepoRef["type"], name: string): string {
  const prefix = type === "model" ? "" : `/${type}s`;
  return `${HUB_WEB}${prefix}/${name}`;
}

function toRepoRef(repo: HubRepo): RepoRef {
  return {
    id: repo.id,
    name: repo.name,
    type: repo.type,
    private: repo.private,
    // Never trust a payload URL blindly: it is rebuilt from type and name when it is not on the Hub.
    webUrl: isHubUrl(repo.url?.web) ? (repo.url?.web as string) : hubWebUrl(repo.type, repo.name),
  };
}

function toDiscussionRef(discussion: HubDiscussion, repo: RepoRef): DiscussionRef {
  const fallback = `${repo.webUrl}/discussions/${discussion.num}`;
  return {
    id: discussion.id,
    num: discussion.num,
    title: discussion.title,
    status: discussion.status,
    isPullRequest: discussion.isPullRequest,
    ...(discussion.author ? { authorId: discussion.author.id } : {}),
    ...(discussion.changes ? { baseRef: discussion.changes.base } : {}),
    ...(discussion.changes?.mergeCommitId
      ? { mergeCommitId: discussion.changes.mergeCommitId }
      : {}),
    webUrl: isHubUrl(discussion.url?.web) ? (discussion.url?.web as string) : fallback,
  };
}

function toCommentRef(comment: HubComment, discussion: DiscussionRef): CommentRef {
  const fallback = `${discussion.webUrl}#${comment.id}`;
  return {
    id: comment.id,
    ...(comment.author ? { authorId: comment.author.id } : {}),
    ...(comment.hidden || comment.content === undefined ? {} : { content: comment.content }),
    hidden: comment.hidden,
    webUrl: isHubUrl(comment.url?.web) ? (comment.url?.web as string) : fallback,
  };
}

function isHubUrl(value: string | undefined): boolean {
  return value !== undefined && (value === HUB_WEB || value.startsWith(`${HUB_WEB}/`));
}
