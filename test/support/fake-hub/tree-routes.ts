import type { FakeHubRoute } from "./types.ts";

/** Entries per page of a recursive listing, as the Hub pages it. */
export const FAKE_TREE_PAGE_SIZE = 1_000;

export interface FakeHubTrees {
  /** Register with `hub.addRoute(...trees.routes)`. */
  routes: FakeHubRoute[];
  /** The files (path → blob id) of a repo at a commit (`type` as in webhooks: model, dataset, space). */
  set(type: string, name: string, sha: string, files: Record<string, string>): void;
}

/**
 * `GET /api/{type}s/{name}/tree/{revision}?recursive=true` as the Hub answers it: files and the
 * folders holding them, a page at a time, the next page named by a `Link: <…>; rel="next"` header
 * with a `cursor`. An unknown revision is a 404, as on the Hub.
 */
export function treeRoutes(): FakeHubTrees {
  const trees = new Map<string, Record<string, string>>();
  const route: FakeHubRoute = {
    method: "GET",
    pattern:
      /^\/api\/(?<type>model|dataset|space)s\/(?<repo>[^/]+\/[^/]+)\/tree\/(?<revision>[^/]+)$/,
    handle(request) {
      const revision = decodeURIComponent(request.params.revision ?? "");
      const files = trees.get(`${request.params.type}s/${request.params.repo}@${revision}`);
      if (files === undefined) {
        return { status: 404, body: { error: `Invalid rev id: ${revision}` } };
      }
      if (request.query.get("recursive") !== "true") {
        return { status: 400, body: { error: "the fake lists recursive trees only" } };
      }
      const folders = new Set<string>();
      for (const path of Object.keys(files)) {
        const parts = path.split("/");
        for (let i = 1; i < parts.length; i += 1) folders.add(parts.slice(0, i).join("/"));
      }
      const entries = [
        ...[...folders].map((path) => ({ type: "directory", oid: "0".repeat(40), size: 0, path })),
        ...Object.entries(files).map(([path, oid]) => ({ type: "file", oid, size: 1, path })),
      ];
      const start = Number(request.query.get("cursor") ?? "0");
      const end = start + FAKE_TREE_PAGE_SIZE;
      const next = new URLSearchParams(request.query);
      next.set("cursor", String(end));
      return {
        status: 200,
        body: entries.slice(start, end),
        ...(end < entries.length
          ? { headers: { link: `<${request.path}?${next.toString()}>; rel="next"` } }
          : {}),
      };
    },
  };
  return {
    routes: [route],
    set: (type, name, sha, files) => trees.set(`${type}s/${name}@${sha}`, files),
  };
}
