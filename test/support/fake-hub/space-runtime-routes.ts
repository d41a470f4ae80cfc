import type { FakeHubRoute } from "./types.ts";

export interface FakeSpaceRuntimes {
  /** Register with `hub.addRoute(...runtimes.routes)`. */
  routes: FakeHubRoute[];
  /** What `GET /api/spaces/{name}/runtime` answers from now on. */
  set(space: string, stage: string, errorMessage?: string): void;
  /** The next answer for this Space is this status instead (once), e.g. 503 with Retry-After. */
  failNext(space: string, status: number, headers?: Record<string, string>): void;
}

/**
 * `GET /api/spaces/{owner}/{name}/runtime` as hf-apis.md §2 describes it: a stage the test scripts,
 * with the error message the Hub shows for failed builds; 404 for a Space it was never told about.
 */
export function spaceRuntimeRoutes(): FakeSpaceRuntimes {
  const runtimes = new Map<string, { stage: string; errorMessage?: string }>();
  const failures = new Map<string, { status: number; headers: Record<string, string> }>();
  const route: FakeHubRoute = {
    method: "GET",
    pattern: /^\/api\/spaces\/(?<space>[^/]+\/[^/]+)\/runtime$/,
    handle(request) {
      const space = request.params.space ?? "";
      const failure = failures.get(space);
      if (failure) {
        failures.delete(space);
        return { status: failure.status, headers: failure.headers, body: { error: "unavailable" } };
      }
      const runtime = runtimes.get(space);
      if (!runtime) return { status: 404, body: { error: "Repository not found" } };
      return {
        status: 200,
        body: {
          stage: runtime.stage,
          hardware: { current: "cpu-basic", requested: "cpu-basic" },
          storage: null,
          gcTimeout: 172800,
          ...(runtime.errorMessage ? { errorMessage: runtime.errorMessage } : {}),
        },
      };
    },
  };
  return {
    routes: [route],
    set: (space, stage, errorMessage) =>
      runtimes.set(space, { stage, ...(errorMessage ? { errorMessage } : {}) }),
    failNext: (space, status, headers = {}) => failures.set(space, { status, headers }),
  };
}
