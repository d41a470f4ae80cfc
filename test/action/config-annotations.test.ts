import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunOptions } from "../../src/action/main.ts";
import { runActionInProcess } from "./support/run-action-in-process.ts";
import { startWatchWorld, type WatchWorld } from "./support/watch-world.ts";

/** GitHub's write spacing is the executor's business and tested there; these runs skip the waits. */
const NO_WAITS: RunOptions = {
  writeLimits: { msBetweenWrites: 0, msBetweenContentWrites: 0 },
};

let world: WatchWorld;
let directory: string;

beforeEach(async () => {
  world = await startWatchWorld();
  directory = mkdtempSync(join(tmpdir(), "action-config-"));
});

afterEach(async () => {
  await world.close();
  rmSync(directory, { recursive: true, force: true });
});

/** A config file in the workspace (the current directory), named as a workflow names it. */
function writeConfig(text: string): string {
  const path = join(directory, "hf-bridge.yml");
  writeFileSync(path, text);
  return relative(process.cwd(), path);
}

describe("watch mode, config problems", () => {
  it("one annotation per problem, on the config file's line and column", async () => {
    const config = writeConfig(
      [
        "routes:",
        "  - hub: acme/demo",
        "    types: [space]",
        "    github: acme",
        "    discussions:",
        '      titleTemplate: "[Hub] {{titel}}"',
        "endpoints:",
        "  - namespace: acme",
        "    github: acme/app",
        "    intervalSeconds: 1",
        "",
      ].join("\n"),
    );
    const result = await runActionInProcess({
      inputs: { ...world.inputs, config },
      env: world.env,
      options: NO_WAITS,
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations).toStrictEqual([
      `::error title=hf-bridge config,file=${config},line=4,col=13::routes[0].github: expected a GitHub repository as "owner/repo" (found "acme") — fix: write it as owner/repo, e.g. acme/app`,
      `::error title=hf-bridge config,file=${config},line=6,col=22::routes[0].discussions.titleTemplate: unknown placeholder {{titel}} (found "[Hub] {{titel}}") — fix: did you mean {{title}}? (variables allowed here: {{title}}, {{num}}, {{repo}}, {{type}})`,
      `::error title=hf-bridge config,file=${config},line=10,col=22::endpoints[0].intervalSeconds: expected at least 5 (found 1) — fix: use a number of at least 5`,
    ]);
    // Not repeated as one joined error on top of the annotations.
    expect(result.errors).toStrictEqual([]);
    expect(result.log).toContain(
      `${config} has 3 problem(s), annotated above; "npx hf-bridge validate-config" shows them locally`,
    );
    expect(world.github.requests).toStrictEqual([]);
  });

  it("a YAML syntax error is annotated where its cause is", async () => {
    const config = writeConfig("endpoints:\n  - namespace: acme\n   github: acme/app\n");
    const result = await runActionInProcess({
      inputs: { ...world.inputs, config },
      env: world.env,
    });
    expect(result.annotations).toStrictEqual([
      `::error title=hf-bridge config,file=${config},line=3,col=4::YAML syntax: line 3 is indented 3 spaces, which lines it up with no key above it (found "github: acme/app") — fix: indent it 4 spaces, to line up with "namespace" on line 2`,
    ]);
  });
});

describe("watch mode, hf-token", () => {
  it("is not needed for a config of public Spaces only", async () => {
    const config = writeConfig(
      "routes:\n  - { hub: acme/demo, types: [space], github: acme/app }\n",
    );
    world.runtimes.set("acme/demo", "RUNNING");
    const result = await runActionInProcess({
      inputs: { ...world.inputs, config, "hf-token": "" },
      env: world.env,
      options: NO_WAITS,
    });
    expect(result.errors).toStrictEqual([]);
    expect(result.outputs).toMatchObject({ "space-changes": "1" });
    const runtimeRead = world.hub.requests.find((request) => request.path.endsWith("/runtime"));
    expect(runtimeRead).toMatchObject({ authenticated: false, status: 200 });
  });
});
