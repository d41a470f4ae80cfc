import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type FakeEndpointsApi,
  startFakeEndpointsApi,
} from "../../support/fake-endpoints-api/start-fake-endpoints-api.ts";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github/start-fake-github.ts";
import type { FakeIssue } from "../../support/fake-github/types.ts";
import {
  type FakeSpaceRuntimes,
  spaceRuntimeRoutes,
} from "../../support/fake-hub/space-runtime-routes.ts";
import {
  type FakeSpaceStreams,
  spaceStreamRoutes,
} from "../../support/fake-hub/space-stream-routes.ts";
import { type FakeHub, startFakeHub } from "../../support/fake-hub/start-fake-hub.ts";

export const HF_TOKEN = "hf_action_watch_token";
export const MARKER_KEY = "acme/app";

/** A fake GitHub whose installation tokens act as `github-actions[bot]`, like a workflow's GITHUB_TOKEN. */
export interface WatchWorld {
  github: FakeGitHub;
  api: FakeEndpointsApi;
  hub: FakeHub;
  runtimes: FakeSpaceRuntimes;
  /** Build logs of failed Spaces (`/logs/build`). */
  streams: FakeSpaceStreams;
  token: string;
  configPath: string;
  /** The inputs and variables of a `watch` step against these fakes. */
  inputs: Record<string, string>;
  env: Record<string, string>;
  cards(): FakeIssue[];
  /** Comment first lines, oldest first. */
  comments(): string[];
  /** Requests that changed something on GitHub, as `METHOD path`. */
  writes(): string[];
  close(): Promise<void>;
}

/** `spaces`: Hub Spaces the config routes (exact name, `types: [space]`) to acme/app. */
export async function startWatchWorld(setup: { spaces?: string[] } = {}): Promise<WatchWorld> {
  const github = await startFakeGitHub({
    app: { slug: "github-actions" },
    repos: [{ owner: "acme", name: "app" }],
  });
  const api = await startFakeEndpointsApi({ token: HF_TOKEN });
  const hub = await startFakeHub({ tokens: { [HF_TOKEN]: { id: "u1", name: "acme-bot" } } });
  const runtimes = spaceRuntimeRoutes();
  const streams = spaceStreamRoutes();
  for (const route of [...runtimes.routes, ...streams.routes]) hub.addRoute(route);
  const directory = mkdtempSync(join(tmpdir(), "action-watch-"));
  const configPath = join(directory, "hf-bridge.yml");
  writeFileSync(
    configPath,
    [
      "endpoints:\n  - namespace: acme\n    names: [chat, embed]\n    github: acme/app\n",
      ...(setup.spaces?.length ? ["routes:\n"] : []),
      ...(setup.spaces ?? []).map(
        (space) => `  - hub: ${space}\n    types: [space]\n    github: acme/app\n`,
      ),
    ].join(""),
  );
  const token = github.createInstallationToken(1);
  return {
    github,
    api,
    hub,
    runtimes,
    streams,
    token,
    configPath,
    inputs: {
      mode: "watch",
      "github-token": token,
      config: configPath,
      "hf-token": HF_TOKEN,
      "endpoints-api-url": api.baseUrl,
      "hub-url": hub.url,
      "marker-key": MARKER_KEY,
    },
    env: { GITHUB_API_URL: github.url },
    cards: () => [...(github.state.repos.get("acme/app")?.issues.values() ?? [])],
    comments: () =>
      [...github.state.comments.values()].map((comment) => comment.body.split("\n")[0] ?? ""),
    writes: () =>
      github.requests
        .filter((request) => request.method !== "GET")
        .map((request) => `${request.method} ${request.path}`),
    async close() {
      github.expectNoViolations();
      await api.close();
      await hub.close();
      await github.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
