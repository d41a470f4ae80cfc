import type { ServerResponse } from "node:http";
import type { FakeHubRoute } from "./types.ts";

export interface FakeSpaceStreams {
  /** Register with `hub.addRoute(...streams.routes)`. */
  routes: FakeHubRoute[];
  /** Sends a status event (the next event index, or `id`) to every open `/events` stream of the Space. */
  status(space: string, stage: string, options?: { errorMessage?: string; id?: number }): void;
  /** An empty `data:` line, as the Hub keeps an idle stream open. */
  keepAlive(space: string): void;
  /** What `/logs/build` streams (one event per line) before it ends the response. */
  setBuildLog(space: string, lines: string[]): void;
  /** `/events` answers this status instead of streaming, from now on. */
  refuse(space: string, status: number): void;
  /** Streams of the Space still open. */
  open(space: string): number;
}

const SPACE = "(?<space>[^/]+/[^/]+)";

/**
 * The Space streams of hf-apis.md §2: `GET /api/spaces/{name}/events` (status events, kept open) and
 * `GET /api/spaces/{name}/logs/build` (`{"data": line, "timestamp"}` events, then the end).
 */
export function spaceStreamRoutes(): FakeSpaceStreams {
  const listeners = new Map<string, Set<ServerResponse>>();
  const refused = new Map<string, number>();
  const logs = new Map<string, string[]>();
  const indexes = new Map<string, number>();
  const send = (space: string, text: string) => {
    for (const response of listeners.get(space) ?? []) response.write(text);
  };
  const events: FakeHubRoute = {
    method: "GET",
    pattern: new RegExp(`^/api/spaces/${SPACE}/events$`),
    handle(request) {
      const space = request.params.space ?? "";
      const status = refused.get(space);
      if (status !== undefined) return { status, body: { error: "streaming is not available" } };
      return {
        status: 200,
        stream: (response) => {
          const open = listeners.get(space) ?? new Set();
          listeners.set(space, open);
          open.add(response);
          response.on("close", () => open.delete(response));
        },
      };
    },
  };
  const buildLog: FakeHubRoute = {
    method: "GET",
    pattern: new RegExp(`^/api/spaces/${SPACE}/logs/build$`),
    handle(request) {
      const lines = logs.get(request.params.space ?? "");
      if (!lines) return { status: 404, body: { error: "no build log" } };
      const tail = Number(request.query.get("tail") ?? lines.length);
      return {
        status: 200,
        stream: (response) => {
          for (const line of lines.slice(-tail)) {
            const event = { data: `${line}\n`, timestamp: "2026-03-01T12:00:00Z" };
            response.write(`data: ${JSON.stringify(event)}\n\n`);
          }
          response.end();
        },
      };
    },
  };
  return {
    routes: [events, buildLog],
    status(space, stage, options = {}) {
      const id = options.id ?? (indexes.get(space) ?? 0) + 1;
      indexes.set(space, Math.max(id, indexes.get(space) ?? 0));
      const data = {
        stage,
        ...(options.errorMessage ? { errorMessage: options.errorMessage } : {}),
      };
      send(space, `id: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    keepAlive: (space) => send(space, "data: \n\n"),
    setBuildLog: (space, lines) => logs.set(space, lines),
    refuse: (space, status) => refused.set(space, status),
    open: (space) => listeners.get(space)?.size ?? 0,
  };
}
