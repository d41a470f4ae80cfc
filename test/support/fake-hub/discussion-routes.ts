import { hubRepoKey } from "./hub-repo-key.ts";
import type {
  FakeHubDiscussion,
  FakeHubReply,
  FakeHubRepo,
  FakeHubRequest,
  FakeHubRoute,
  FakeHubState,
} from "./types.ts";

/** The Hub lists discussions 50 to a page (`huggingface_hub.get_repo_discussions`). */
export const DISCUSSIONS_PER_PAGE = 50;

const REPO = "(?<type>model|dataset|space)s/(?<repo>[^/]+(?:/[^/]+)?)";
const DISCUSSION = String.raw`${REPO}/discussions/(?<num>\d+)`;

/** Repo info, whoami, and the discussion calls of hf-apis.md §3 the bridge makes. */
export function discussionRoutes(): FakeHubRoute[] {
  return [
    {
      method: "GET",
      pattern: /^\/api\/whoami-v2$/,
      handle: (request) =>
        request.user
          ? { status: 200, body: { type: "user", id: request.user.id, name: request.user.name } }
          : unauthorized(),
    },
    {
      method: "GET",
      pattern: new RegExp(`^/api/${REPO}$`),
      handle: (request, state) =>
        withRepo(request, state, (repo) => ({
          status: 200,
          body: { _id: repo.id, id: repo.name, private: repo.private },
        })),
    },
    {
      method: "GET",
      pattern: new RegExp(`^/api/${REPO}/discussions$`),
      handle: (request, state) =>
        withRepo(request, state, (repo) => {
          const page = Number(request.query.get("p") ?? "0");
          const all = [...repo.discussions.values()].sort((a, b) => b.num - a.num);
          const start = page * DISCUSSIONS_PER_PAGE;
          return {
            status: 200,
            body: {
              discussions: all.slice(start, start + DISCUSSIONS_PER_PAGE).map((d) => summary(d)),
              count: all.length,
              start,
            },
          };
        }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^/api/${DISCUSSION}$`),
      handle: (request, state) =>
        withDiscussion(request, state, (_repo, discussion) => ({
          status: 200,
          body: { ...summary(discussion), events: discussion.events, changes: discussion.changes },
        })),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/api/${DISCUSSION}/comment$`),
      handle: (request, state) =>
        withDiscussion(request, state, (_repo, discussion, user) => {
          const comment = (request.body as { comment?: unknown } | undefined)?.comment;
          if (typeof comment !== "string" || comment.trim() === "") {
            return { status: 400, body: { error: "comment must be a non-empty string" } };
          }
          const newMessage = {
            id: nextId(state),
            type: "comment" as const,
            createdAt: state.now().toISOString(),
            author: user,
            data: { latest: { raw: comment }, hidden: false, edited: false },
          };
          discussion.events.push(newMessage);
          return { status: 200, body: { newMessage } };
        }),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/api/${DISCUSSION}/comment/(?<commentId>[^/]+)/edit$`),
      handle: (request, state) =>
        withDiscussion(request, state, (_repo, discussion, user) => {
          const content = (request.body as { content?: unknown } | undefined)?.content;
          if (typeof content !== "string" || content.trim() === "") {
            return { status: 400, body: { error: "content must be a non-empty string" } };
          }
          const comment = discussion.events.find(
            (event) => event.type === "comment" && event.id === request.params.commentId,
          );
          if (!comment) return { status: 404, body: { error: "Comment not found" } };
          // The Hub lets only a comment's author edit it.
          if (comment.author.id !== user.id) {
            return { status: 403, body: { error: "You can only edit your own comments" } };
          }
          comment.data = { ...comment.data, latest: { raw: content }, edited: true };
          return { status: 200, body: { updatedComment: comment } };
        }),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/api/${DISCUSSION}/status$`),
      handle: (request, state) =>
        withDiscussion(request, state, (_repo, discussion, user) => {
          const body = request.body as { status?: unknown; comment?: unknown } | undefined;
          if (body?.status !== "open" && body?.status !== "closed") {
            return { status: 400, body: { error: 'status must be "open" or "closed"' } };
          }
          discussion.status = body.status;
          const newStatus = {
            id: nextId(state),
            type: "status-change" as const,
            createdAt: state.now().toISOString(),
            author: user,
            data: { status: body.status },
          };
          discussion.events.push(newStatus);
          return { status: 200, body: { newStatus } };
        }),
    },
  ];
}

function summary(discussion: FakeHubDiscussion) {
  return {
    num: discussion.num,
    title: discussion.title,
    status: discussion.status,
    isPullRequest: discussion.isPullRequest,
    createdAt: discussion.createdAt,
    author: discussion.author,
    numComments: discussion.events.filter((event) => event.type === "comment").length,
  };
}

function withRepo(
  request: FakeHubRequest,
  state: FakeHubState,
  answer: (repo: FakeHubRepo) => FakeHubReply,
): FakeHubReply {
  const { type, repo: name } = request.params;
  const repo = state.repos.get(hubRepoKey(type as FakeHubRepo["type"], name ?? ""));
  // The Hub answers 404 for private repos the caller cannot see, so their names do not leak.
  if (!repo || (repo.private && !request.user)) {
    return { status: 404, body: { error: "Repository not found" } };
  }
  return answer(repo);
}

function withDiscussion(
  request: FakeHubRequest,
  state: FakeHubState,
  answer: (
    repo: FakeHubRepo,
    discussion: FakeHubDiscussion,
    user: NonNullable<FakeHubRequest["user"]>,
  ) => FakeHubReply,
): FakeHubReply {
  return withRepo(request, state, (repo) => {
    const discussion = repo.discussions.get(Number(request.params.num));
    if (!discussion) return { status: 404, body: { error: "Discussion not found" } };
    if (request.method === "GET") return answer(repo, discussion, anonymous());
    if (!request.user) return unauthorized();
    return answer(repo, discussion, request.user);
  });
}

function anonymous() {
  return { id: "", name: "" };
}

function unauthorized(): FakeHubReply {
  return { status: 401, body: { error: "Invalid credentials in Authorization header" } };
}

function nextId(state: FakeHubState): string {
  // A counter below 2^53 under a prefix no seeded id uses: a 24-hex-digit number would lose precision.
  state.nextId += 1;
  return `6f${state.nextId.toString(16).padStart(22, "0")}`;
}
