import { tmpdir } from "node:os";
import { afterEach, beforeEach, expect, it } from "vitest";
import { watchEndpoints } from "../../src/action/watch-endpoints.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import { startWatchWorld, type WatchWorld } from "./support/watch-world.ts";

let world: WatchWorld;

beforeEach(async () => {
  world = await startWatchWorld();
});

afterEach(async () => {
  await world.close();
});

async function watch() {
  const { config } = await loadConfig({ path: world.configPath, env: {} });
  return watchEndpoints({
    config,
    githubToken: world.token,
    githubApiUrl: world.github.url,
    hfToken: world.inputs["hf-token"] ?? "",
    endpointsApiUrl: world.api.baseUrl,
    hubUrl: world.hub.url,
    markerKey: world.inputs["marker-key"] ?? "",
    tempDir: tmpdir(),
    log: createLogger({ level: "silent" }),
    writeLimits: { msBetweenWrites: 0, msBetweenContentWrites: 0 },
  });
}

it("two overlapping runs on the same change leave one comment and send one dispatch", async () => {
  world.api.advance("acme", "chat", "running");
  await watch();
  world.api.advance("acme", "chat", "failed", { message: "CUDA out of memory" });

  const runs = await Promise.all([watch(), watch()]);

  expect(runs.flatMap((run) => run.jobs.map((job) => job.error ?? "ok"))).toStrictEqual([
    "ok",
    "ok",
  ]);
  // Both runs posted before either looked again, so this is the race and not one run finding the other's.
  expect(world.writes().filter((write) => write.endsWith("/issues/1/comments"))).toHaveLength(2);
  expect(world.comments()).toStrictEqual(["🔴 Failed: `acme/chat` (was running)."]);
  // Only the run whose comment was kept dispatches; on GitHub only `concurrency` guarantees this.
  expect(world.github.state.repos.get("acme/app")?.dispatches).toHaveLength(1);
  expect(runs.flatMap((run) => run.jobs.flatMap((job) => job.effects))).toContainEqual({
    type: "create-comment",
    status: "skipped",
    detail: expect.stringContaining("was posted first by an overlapping run"),
  });
});
