import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listWatchedSpaces } from "../../src/action/list-watched-spaces.ts";
import type { RunOptions } from "../../src/action/main.ts";
import { configSchema } from "../../src/config/config-schema.ts";
import { runActionInProcess } from "./support/run-action-in-process.ts";
import { startWatchWorld, type WatchWorld } from "./support/watch-world.ts";

/** GitHub's write spacing is the executor's business and tested there; these runs skip the waits. */
const NO_WAITS: RunOptions = {
  writeLimits: { msBetweenWrites: 0, msBetweenContentWrites: 0 },
};
const SPACE = "acme/demo";

let world: WatchWorld;

beforeEach(async () => {
  world = await startWatchWorld({ spaces: [SPACE] });
});

afterEach(async () => {
  await world.close();
});

function watch() {
  return runActionInProcess({ inputs: world.inputs, env: world.env, options: NO_WAITS });
}

function spaceCards() {
  return world.cards().filter((card) => card.title === `[Space] ${SPACE}`);
}

function runtimeReads(): number {
  return world.hub.requests.filter((request) => request.path === `/api/spaces/${SPACE}/runtime`)
    .length;
}

describe("watch mode, Space runtimes", () => {
  it("makes a card for the Space's stage, then writes nothing while it stays the same", async () => {
    world.runtimes.set(SPACE, "RUNNING");
    const first = await watch();
    expect(first.errors).toStrictEqual([]);
    expect(first.outputs).toStrictEqual({ cards: "0", changes: "0", "space-changes": "1" });
    expect(spaceCards()).toMatchObject([{ state: "open" }]);
    expect(spaceCards()[0]?.body).toContain("## Space `acme/demo`: RUNNING");
    expect(spaceCards()[0]?.body).toContain("<!-- hf-bridge:space-state=");
    expect(world.comments()).toStrictEqual([]);

    const writesBefore = world.writes().length;
    const second = await watch();
    expect(second.errors).toStrictEqual([]);
    expect(second.outputs).toStrictEqual({ cards: "0", changes: "0", "space-changes": "0" });
    expect(world.writes().slice(writesBefore)).toStrictEqual([]);
    expect(runtimeReads()).toBe(2);
  });

  it("puts the failed build's log tail on the card, secret-looking lines hidden, with the full log linked", async () => {
    world.runtimes.set(SPACE, "BUILDING");
    await watch();
    world.streams.setBuildLog(SPACE, [
      "Step 1/4: FROM python:3.12",
      "password=hunter2-very-secret",
      "ERROR: failed to solve: process did not complete successfully",
    ]);
    world.runtimes.set(SPACE, "BUILD_ERROR", "Build failed with exit code: 1");
    const failed = await watch();
    expect(failed.errors).toStrictEqual([]);
    const body = spaceCards()[0]?.body ?? "";
    expect(body).toContain(
      `Build log, last 3 lines ([full log](${world.hub.url}/spaces/${SPACE}?logs=build)):`,
    );
    expect(body).toContain("ERROR: failed to solve: process did not complete successfully");
    expect(body).toContain("[line hidden by the bridge: it looked like it held a secret]");
    expect(body).not.toContain("hunter2");
  });

  it("updates the card and comments once when the Space fails to build", async () => {
    world.runtimes.set(SPACE, "RUNNING");
    await watch();
    const number = spaceCards()[0]?.number;
    const writesBefore = world.writes().length;

    world.runtimes.set(SPACE, "BUILD_ERROR", "pip install failed: no matching @torch");
    const failed = await watch();
    expect(failed.errors).toStrictEqual([]);
    expect(failed.outputs).toMatchObject({ "space-changes": "1" });
    expect(world.writes().slice(writesBefore)).toStrictEqual([
      `POST /repos/acme/app/issues/${number}/comments`,
      `PATCH /repos/acme/app/issues/${number}`,
    ]);
    expect(world.comments()).toStrictEqual(["🔴 Space `acme/demo` is BUILD_ERROR (was RUNNING)."]);
    const body = spaceCards()[0]?.body ?? "";
    expect(body).toContain("## Space `acme/demo`: BUILD_ERROR");
    expect(body).toContain("pip install failed");
    // Hub text is sanitised: the @-name does not become a GitHub mention.
    expect(body).not.toContain(" @torch");

    const writesAfter = world.writes().length;
    await watch();
    expect(world.writes().length).toBe(writesAfter);

    world.runtimes.set(SPACE, "RUNNING");
    await watch();
    expect(spaceCards()[0]?.body).toContain("## Space `acme/demo`: RUNNING");
    expect(world.comments()).toHaveLength(1);
  });

  it("does not comment twice when a run died after commenting but before saving the stage", async () => {
    world.runtimes.set(SPACE, "RUNNING");
    await watch();
    world.runtimes.set(SPACE, "RUNTIME_ERROR", "exit code 1");
    world.github.inject({
      kind: "status",
      status: 500,
      match: { method: "PATCH", path: /issues\/1$/ },
    });
    const died = await watch();
    expect(died.exitCode).toBe(1);
    expect(died.errors[0]).toContain("acme/demo:");
    expect(world.comments()).toHaveLength(1);

    const retried = await watch();
    expect(retried.errors).toStrictEqual([]);
    expect(world.comments()).toStrictEqual([
      "🔴 Space `acme/demo` is RUNTIME_ERROR (was RUNNING).",
    ]);
    expect(spaceCards()[0]?.body).toContain("## Space `acme/demo`: RUNTIME_ERROR");
  });

  it("reports a Space the Hub does not know as a failure of the step, and still watches the rest", async () => {
    world.api.advance("acme", "chat", "running");
    const result = await watch();
    expect(result.errors[0]).toContain("acme/demo: GET /api/spaces/acme/demo/runtime answered 404");
    expect(world.cards().map((card) => card.title)).toStrictEqual(["[Endpoint] acme/chat"]);
  });
});

describe("watch mode with nothing to watch", () => {
  it("names the config file and shows both kinds of entry", async () => {
    const configPath = join(dirname(world.configPath), "empty.yml");
    writeFileSync(configPath, "routes:\n  - { hub: acme/model, github: acme/app }\n");
    const result = await runActionInProcess({
      inputs: { ...world.inputs, config: configPath },
      env: world.env,
    });
    expect(result.errors[0]).toContain("has no endpoints[] entries and no Space routes");
    expect(result.errors[0]).toContain("{ hub: acme/demo, types: [space], github: acme/app }");
    expect(world.github.requests).toStrictEqual([]);
  });
});

describe("listWatchedSpaces", () => {
  it("takes only exact Space names, since any other route may name models or many repos", () => {
    const routes = configSchema.parse({
      routes: [
        { hub: "acme/demo", types: ["space"], github: "acme/app" },
        { hub: "acme/demo", types: ["space"], github: "acme/app" },
        { hub: "acme/*", types: ["space"], github: "acme/app" },
        { hub: "acme/chat", types: ["model", "space"], github: "acme/app" },
        { hub: "acme/model", github: "acme/app" },
      ],
    }).routes;
    expect(listWatchedSpaces(routes)).toStrictEqual([
      { space: "acme/demo", github: { owner: "acme", repo: "app" } },
    ]);
  });
});
