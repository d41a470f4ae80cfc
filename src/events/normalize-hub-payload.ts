import type { HubComment, HubDiscussion, HubPayloadV3, HubRepo } from "../hf/hub-payload-schema.ts";
import type { BridgeEvent, CommentRef, DiscussionRef, RepoRef } from "./bridge-event.ts";

const HUB_WEB = "https://huggingface.co";

/**
 * Maps a parsed v3 payload onto the event union. Scope and action were checked by the parser. Links
 * point at `hubUrl` (HF_ENDPOINT), the Hub the bridge talks to.
 */
export function normalizeHubPayload(payload: HubPayloadV3, hubUrl: string = HUB_WEB): BridgeEvent {
  const hub = hubUrl.replace(/\/+$/, "");
  const repo = toRepoRef(payload.repo, hub);
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
      return discussionEvent(action, repo, payload, hub);
    case "discussion.comment":
      return commentEvent(action, repo, payload, hub);
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

function discussionEvent(
  action: string,
  repo: RepoRef,
  payload: HubPayloadV3,
  hub: string,
): BridgeEvent {
  const discussion = toDiscussionRef(requireField(payload.discussion, "discussion"), repo, hub);
  if (action === "create") {
    const comment = payload.comment ? toCommentRef(payload.comment, discussion, hub) : undefined;
    return { kind: "discussion.opened", repo, discussion, ...(comment ? { comment } : {}) };
  }
  if (action === "delete") return { kind: "discussion.deleted", repo, discussion };
  if (discussion.status === "closed") return { kind: "discussion.closed", repo, discussion };
  if (discussion.status === "merged") return { kind: "discussion.merged", repo, discussion };
  return { kind: "discussion.updated", repo, discussion };
}

function commentEvent(
  action: string,
  repo: RepoRef,
  payload: HubPayloadV3,
  hub: string,
): BridgeEvent {
  const discussion = toDiscussionRef(requireField(payload.discussion, "discussion"), repo, hub);
  const comment = toCommentRef(requireField(payload.comment, "comment"), discussion, hub);
  if (action === "create") return { kind: "comment.created", repo, discussion, comment };
  if (comment.hidden) return { kind: "comment.hidden", repo, discussion, comment };
  return { kind: "comment.edited", repo, discussion, comment };
}

function requireField<T>(value: T | undefined, name: string): T {
  if (value === undefined)
    throw new Error(`payload has no ${name}; parseHubPayload should have refused it`);
  return value;
}

export function hubWebUrl(type: RepoRef["type"], name: string, hubUrl: string = HUB_WEB): string {
  const prefix = type === "model" ? "" : `/${type}s`;
  return `${hubUrl.replace(/\/+$/, "")}${prefix}/${name}`;
}

function toRepoRef(repo: HubRepo, hub: string): RepoRef {
  return {
    id: repo.id,
    name: repo.name,
    type: repo.type,
    private: repo.private,
    // Never trust a payload URL blindly: it is rebuilt from type and name when it is not on the Hub.
    webUrl: isHubUrl(repo.url?.web, hub)
      ? (repo.url?.web as string)
      : hubWebUrl(repo.type, repo.name, hub),
  };
}

function toDiscussionRef(discussion: HubDiscussion, repo: RepoRef, hub: string): DiscussionRef {
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
    webUrl: isHubUrl(discussion.url?.web, hub) ? (discussion.url?.web as string) : fallback,
  };
}

function toCommentRef(comment: HubComment, discussion: DiscussionRef, hub: string): CommentRef {
  const fallback = `${discussion.webUrl}#${comment.id}`;
  return {
    id: comment.id,
    ...(comment.author ? { authorId: comment.author.id } : {}),
    ...(comment.hidden || comment.content === undefined ? {} : { content: comment.content }),
    hidden: comment.hidden,
    webUrl: isHubUrl(comment.url?.web, hub) ? (comment.url?.web as string) : fallback,
  };
}

/** Only a link on the configured Hub is kept; any other is rebuilt from type, name and number. */
function isHubUrl(value: string | undefined, hub: string): boolean {
  return value !== undefined && (value === hub || value.startsWith(`${hub}/`));
}
