import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { REPO_ROOT } from "../support/paths.ts";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hf-bridge-config-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function problemsOf(yaml: string): Promise<string[]> {
  await writeFile(join(dir, "hf-bridge.yml"), yaml);
  const error = await loadConfig({ env: {}, cwd: dir }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
}

describe("loadConfig problems", () => {
  it("names a bad GitHub repository, quotes it and shows the fix", async () => {
    expect(await problemsOf("routes:\n  - hub: acme/*\n    github: acme\n")).toEqual([
      'hf-bridge.yml:3:13 routes[0].github: expected a GitHub repository as "owner/repo" (found "acme") — fix: write it as owner/repo, e.g. acme/app',
    ]);
  });

  it("refuses a Hub glob that is not text", async () => {
    expect(await problemsOf("routes:\n  - hub: [acme/a, acme/b]\n    github: acme/app\n")).toEqual([
      'hf-bridge.yml:2:10 routes[0].hub: expected a Hub repo name or glob such as "acme/*" (found ["acme/a","acme/b"]) — fix: write text, e.g. hub: "acme/*"',
    ]);
  });

  it("refuses secrets by key and by shape, names the variable, and never repeats the value", async () => {
    const token = `ghp_${"a1B2".repeat(9)}`;
    const yaml = [
      "webhookSecret: hunter2-value",
      "routes:",
      "  - hub: acme/*",
      "    github: acme/app",
      "    privateKey: pem-text",
      "    dispatch:",
      `      - inputs: { note: ${token} }`,
      "",
    ].join("\n");
    const problems = await problemsOf(yaml);
    expect(problems).toEqual([
      "hf-bridge.yml:1:1 webhookSecret: looks like a secret; secrets do not belong in the config file (value not shown) — fix: delete it here and set HF_WEBHOOK_SECRET in the environment instead",
      "hf-bridge.yml:5:5 routes[0].privateKey: looks like a secret; secrets do not belong in the config file (value not shown) — fix: delete it here and set PRIVATE_KEY (with APP_ID) in the environment instead",
      "hf-bridge.yml:7:25 routes[0].dispatch[0].inputs.note: looks like a GitHub token; secrets do not belong in the config file (value not shown) — fix: delete it here and set GITHUB_TOKEN in the environment instead",
    ]);
    const all = problems.join("\n");
    for (const secret of ["hunter2-value", "pem-text", token]) expect(all).not.toContain(secret);
  });

  it("suggests the key the user probably meant", async () => {
    expect(await problemsOf("routes:\n  - hub: acme/*\n    githib: acme/app\n")).toEqual([
      "hf-bridge.yml:2:5 routes[0].github: required (found nothing) — fix: add github: acme/app",
      'hf-bridge.yml:3:5 routes[0].githib: unknown key "githib" — fix: did you mean "github"? (keys allowed here: hub, types, github, discussions, commits, checks, dispatch)',
    ]);
  });

  it("points at the line and column of a YAML syntax error", async () => {
    expect(await problemsOf("routes:\n  - hub: acme/*\n    github: acme: app\n")).toEqual([
      'hf-bridge.yml:3:13 YAML syntax: Nested mappings are not allowed in compact mappings (found "github: acme: app") — fix: quote the value, e.g. key: "a: b", or indent the nested keys on new lines',
    ]);
  });

  it("reports every problem in file order, inside lists and options alike", async () => {
    const yaml = [
      "routs: []",
      "routes:",
      "  - hub: acme/*",
      "    github: acme/app",
      "    types: [modle]",
      "    discussions: { enabled: yes please }",
      "endpoints:",
      "  - namespace: acme",
      "    github: acme/app",
      "    intervalSeconds: 1",
      "",
    ].join("\n");
    expect(await problemsOf(yaml)).toEqual([
      'hf-bridge.yml:1:1 routs: unknown key "routs" — fix: did you mean "routes"? (keys allowed here: version, routes, endpoints, retentionDays)',
      'hf-bridge.yml:5:13 routes[0].types[0]: expected one of "model", "dataset", "space" (found "modle") — fix: did you mean "model"?',
      'hf-bridge.yml:6:29 routes[0].discussions.enabled: expected true or false (found "yes please") — fix: write true or false',
      "hf-bridge.yml:10:22 endpoints[0].intervalSeconds: expected at least 5 (found 1) — fix: use a number of at least 5",
    ]);
  });
});

describe("loadConfig files", () => {
  it("runs with no routes and a notice when the default file is missing", async () => {
    const loaded = await loadConfig({ env: {}, cwd: dir });
    expect(loaded.config).toEqual({ version: 1, routes: [], endpoints: [], retentionDays: 30 });
    expect(loaded.file).toBeUndefined();
    expect(loaded.notices).toEqual([
      "no hf-bridge.yml found; running with no routes (deliveries are stored and shown, nothing is sent to GitHub) — copy examples/hf-bridge.example.yml to hf-bridge.yml to add routes",
    ]);
  });

  it("refuses a missing file named with --config or HF_BRIDGE_CONFIG", async () => {
    await expect(loadConfig({ path: "nope.yml", env: {}, cwd: dir })).rejects.toThrow(
      'invalid configuration: --config names "nope.yml", but the file does not exist — fix: check the path, or leave --config unset to use ./hf-bridge.yml',
    );
    await expect(loadConfig({ env: { HF_BRIDGE_CONFIG: "other.yml" }, cwd: dir })).rejects.toThrow(
      'invalid configuration: HF_BRIDGE_CONFIG names "other.yml", but the file does not exist',
    );
  });

  it("prefers --config over HF_BRIDGE_CONFIG over the default", async () => {
    await writeFile(
      join(dir, "hf-bridge.yml"),
      "routes: [{ hub: a/default, github: a/default }]\n",
    );
    await writeFile(join(dir, "env.yml"), "routes: [{ hub: a/env, github: a/env }]\n");
    await writeFile(join(dir, "flag.yml"), "routes: [{ hub: a/flag, github: a/flag }]\n");
    const env = { HF_BRIDGE_CONFIG: "env.yml" };
    expect((await loadConfig({ env: {}, cwd: dir })).config.routes[0]?.hub).toBe("a/default");
    expect((await loadConfig({ env, cwd: dir })).config.routes[0]?.hub).toBe("a/env");
    const flagged = await loadConfig({ path: "flag.yml", env, cwd: dir });
    expect(flagged.config.routes[0]?.hub).toBe("a/flag");
    expect(flagged.file).toBe("flag.yml");
  });

  it("accepts the shipped example, with defaults filled in", async () => {
    const example = await readFile(join(REPO_ROOT, "examples/hf-bridge.example.yml"), "utf8");
    expect(example.split("\n")[0]).toBe(
      "# yaml-language-server: $schema=./schema/hf-bridge.schema.json",
    );
    await writeFile(join(dir, "hf-bridge.yml"), example);
    const { config } = await loadConfig({ env: {}, cwd: dir });
    expect(config.routes.map((route) => [route.hub, route.github])).toEqual([
      ["acme/*", "acme/ml-models"],
      ["acme/demo-space", "acme/demo"],
    ]);
    expect(config.routes[0]?.commits).toBe("off");
  });
});
