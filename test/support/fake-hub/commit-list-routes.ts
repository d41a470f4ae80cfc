import type { FakeHubRoute } from "./types.ts";

export interface FakeHubCommit {
  oid: string;
  title: string;
  message: string;
}

export interface FakeHubCommits {
  /** Register with `hub.addRoute(...commits.routes)`. */
  routes: FakeHubRoute[];
  /** Adds a commit on top of the repo's history (`type` as in webhooks: model, dataset, space). */
  add(type: string, name: string, commit: FakeHubCommit): void;
}

/**
 * `GET /api/{type}s/{name}/commits/{revision}?limit=` as `@huggingface/hub`'s `listCommits` reads it:
 * newest first from the revision (a SHA or `main`), `limit` entries, no `Link` header past the end.
 */
export function commitListRoutes(): FakeHubCommits {
  const histories = new Map<string, FakeHubCommit[]>();
  const route: FakeHubRoute = {
    method: "GET",
    pattern:
      /^\/api\/(?<type>model|dataset|space)s\/(?<repo>[^/]+\/[^/]+)\/commits\/(?<revision>[^/]+)$/,
    handle(request) {
      const history = histories.get(`${request.params.type}s/${request.params.repo}`) ?? [];
      const revision = decodeURIComponent(request.params.revision ?? "");
      const start =
        revision === "main" ? 0 : history.findIndex((commit) => commit.oid === revision);
      if (start < 0) return { status: 404, body: { error: `Invalid rev id: ${revision}` } };
      const limit = Number(request.query.get("limit") ?? "100");
      return {
        status: 200,
        body: history.slice(start, start + limit).map((commit) => ({
          id: commit.oid,
          title: commit.title,
          message: commit.message,
          authors: [{ user: "hub-user", avatar: "https://huggingface.co/avatars/hub-user.svg" }],
          date: "2026-01-01T00:00:00.000Z",
        })),
      };
    },
  };
  return {
    routes: [route],
    add: (type, name, commit) => {
      const key = `${type}s/${name}`;
      histories.set(key, [commit, ...(histories.get(key) ?? [])]);
    },
  };
}
