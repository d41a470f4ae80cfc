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
      `      - { workflow: ci.yml, inputs: { note: ${token} } }`,
      "",
    ].join("\n");
    const problems = await problemsOf(yaml);
    expect(problems).toEqual([
      "hf-bridge.yml:1:1 webhookSecret: looks like a secret; secrets do not belong in the config file (value not shown) — fix: delete it here and set HF_WEBHOOK_SECRET in the environment instead",
      "hf-bridge.yml:5:5 routes[0].privateKey: looks like a secret; secrets do not belong in the config file (value not shown) — fix: delete it here and set PRIVATE_KEY (with APP_ID) in the environment instead",
      "hf-bridge.yml:7:45 routes[0].dispatch[0].inputs.note: looks like a GitHub token; secrets do not belong in the config file (value not shown) — fix: delete it here and set GITHUB_TOKEN in the environment instead",
    ]);
    const all = problems.join("\n");
    for (const secret of ["hunter2-value", "pem-text", token]) expect(all).not.toContain(secret);
  });

  it("suggests the key the user probably meant", async () => {
    expect(await problemsOf("routes:\n  - hub: acme/*\n    githib: acme/app\n")).toEqual([
      "hf-bridge.yml:2:5 routes[0].github: required (found nothing) — fix: add github: acme/app",
      'hf-bridge.yml:3:5 routes[0].githib: unknown key "githib" — fix: did you mean "github"? (keys allowed here: hub, types, github, discussions, commits, checks, dispatch, pullRequests)',
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
      'hf-bridge.yml:1:1 routs: unknown key "routs" — fix: did you mean "routes"? (keys allowed here: version, routes, endpoints, retentionDays, users, console, alerts)',
      'hf-bridge.yml:5:13 routes[0].types[0]: expected one of "model", "dataset", "space" (found "modle") — fix: did you mean "model"?',
      'hf-bridge.yml:6:29 routes[0].discussions.enabled: expected true or false (found "yes please") — fix: write true or false',
      "hf-bridge.yml:10:22 endpoints[0].intervalSeconds: expected at least 5 (found 1) — fix: use a number of at least 5",
    ]);
  });
});

describe("loadConfig refuses what a job would refuse later", () => {
  it("an unknown template placeholder, with the nearest allowed name", async () => {
    const yaml = [
      "routes:",
      "  - hub: acme/*",
      "    github: acme/app",
      "    discussions:",
      '      titleTemplate: "[Hub] {{titel}}"',
      '      bodyTemplate: "{{content}} by {{ author }} {{who}}"',
      '      commentTemplate: "{{commentAuthor}}: {{content}}"',
      "",
    ].join("\n");
    expect(await problemsOf(yaml)).toEqual([
      'hf-bridge.yml:5:22 routes[0].discussions.titleTemplate: unknown placeholder {{titel}} (found "[Hub] {{titel}}") — fix: did you mean {{title}}? (variables allowed here: {{title}}, {{num}}, {{repo}}, {{type}})',
      'hf-bridge.yml:6:21 routes[0].discussions.bodyTemplate: unknown placeholder {{who}} (found "{{content}} by {{ author }} {{who}}") — fix: use one of {{title}}, {{num}}, {{repo}}, {{type}}, {{kind}}, {{status}}, {{url}}, {{author}}, {{authorId}}, {{pullRequest}}, {{content}}, {{commentAuthor}}, {{commentAuthorId}}, {{commentUrl}}',
    ]);
  });

  it("the title template's narrower variables: {{content}} is for bodies only", async () => {
    const problems = await problemsOf(
      'routes:\n  - hub: a/b\n    github: a/b\n    discussions: { titleTemplate: "{{content}}" }\n',
    );
    expect(problems).toEqual([
      'hf-bridge.yml:4:35 routes[0].discussions.titleTemplate: unknown placeholder {{content}} (found "{{content}}") — fix: use one of {{title}}, {{num}}, {{repo}}, {{type}}',
    ]);
  });

  it("workflow inputs: placeholders, input ids, how many, and inputs without a workflow", async () => {
    const inputs = Array.from({ length: 26 }, (_, index) => `i${index}: x`).join(", ");
    const yaml = [
      "routes:",
      "  - hub: acme/*",
      "    github: acme/app",
      "    dispatch:",
      "      - workflow: retrain.yml",
      '        inputs: { dataset: "{{repo}}", revision: "{{sha}}" }',
      "      - workflow: retrain.yml",
      '        inputs: { "my input": x }',
      "      - workflow: retrain.yml",
      `        inputs: { ${inputs} }`,
      "      - eventType: hf.model.updated",
      "        inputs: { a: b }",
      "",
    ].join("\n");
    expect(await problemsOf(yaml)).toEqual([
      'hf-bridge.yml:6:50 routes[0].dispatch[0].inputs.revision: unknown placeholder {{sha}} (found "{{sha}}") — fix: use one of {{repo}}, {{type}}, {{ref}}, {{oldSha}}, {{newSha}}, {{url}}, {{commitUrl}}, {{dispatchId}}',
      'hf-bridge.yml:8:19 routes[0].dispatch[1].inputs.my input: key "my input": a workflow input id starts with a letter or _ and has only letters, digits, - and _ — fix: rename the input here and in the workflow\'s on.workflow_dispatch.inputs',
      `hf-bridge.yml:10:17 routes[0].dispatch[2].inputs: GitHub accepts at most 25 workflow inputs (found {"i0":"x","i1":"x","i2":"x","i3":"x","i4":"x","i5":"x","i6":"x","i7":"x","i8":"x…) — fix: pass fewer inputs, e.g. one JSON string input the workflow parses`,
      'hf-bridge.yml:12:17 routes[0].dispatch[3].inputs: inputs are sent only with workflow_dispatch, and this rule has no workflow (found {"a":"b"}) — fix: add workflow: <file>.yml, or remove inputs',
    ]);
  });

  it("a workflow path instead of its file name, and blank dispatch event types", async () => {
    const yaml = [
      "routes:",
      "  - hub: acme/*",
      "    github: acme/app",
      "    dispatch:",
      "      - workflow: .github/workflows/retrain.yml",
      '      - eventType: "  "',
      "endpoints:",
      "  - namespace: acme",
      "    github: acme/app",
      '    dispatchEventType: ""',
      "",
    ].join("\n");
    expect(await problemsOf(yaml)).toEqual([
      'hf-bridge.yml:5:19 routes[0].dispatch[0].workflow: expected a workflow file name such as retrain.yml, or a workflow id (found ".github/workflows/retrain.yml") — fix: write the file name only: workflow: retrain.yml',
      'hf-bridge.yml:6:20 routes[0].dispatch[1].eventType: must not be blank (found "  ") — fix: correct the value, e.g. eventType: hf.model.updated',
      'hf-bridge.yml:10:24 endpoints[0].dispatchEventType: must not be empty (found "") — fix: write a value or remove the key, e.g. dispatchEventType: hf.endpoint.failed',
    ]);
  });

  it("a workflow rule with an eventType, which only repository_dispatch uses", async () => {
    const problems = await problemsOf(
      "routes:\n  - hub: a/b\n    github: a/b\n    dispatch:\n      - { workflow: ci.yml, eventType: hf.x }\n",
    );
    expect(problems).toEqual([
      'hf-bridge.yml:5:40 routes[0].dispatch[0].eventType: eventType names a repository_dispatch, but this rule starts a workflow (found "hf.x") — fix: remove eventType, or remove workflow to send repository_dispatch',
    ]);
  });
});

describe("loadConfig explains YAML mistakes by their cause", () => {
  const route = ["routes:", "  - hub: acme/*", "    github: acme/app"];

  it("a key indented 3 spaces under a list item's keys (4)", async () => {
    expect(await problemsOf([...route, "   discussions: true", ""].join("\n"))).toEqual([
      'hf-bridge.yml:4:4 YAML syntax: line 4 is indented 3 spaces, which lines it up with no key above it (found "discussions: true") — fix: indent it 4 spaces, to line up with "github" on line 3',
    ]);
  });

  it("a key indented deeper than its sibling, which already has a value", async () => {
    expect(await problemsOf([...route, "     discussions: true", ""].join("\n"))).toEqual([
      'hf-bridge.yml:4:6 YAML syntax: line 4 is indented 5 spaces, which lines it up with no key above it (found "discussions: true") — fix: indent it 4 spaces, to line up with "github" on line 3',
    ]);
  });

  it("a key at the list's dash instead of inside the item", async () => {
    expect(await problemsOf("routes:\n  - hub: acme/*\n  github: acme/app\n")).toEqual([
      'hf-bridge.yml:3:3 YAML syntax: line 3 is indented 2 spaces, which lines it up with no key above it (found "github: acme/app") — fix: indent it 4 spaces, to line up with "hub" on line 2',
    ]);
  });

  it("a tab", async () => {
    expect(await problemsOf("routes:\n  - hub: acme/*\n\tgithub: acme/app\n")).toEqual([
      'hf-bridge.yml:3:1 YAML syntax: line 3 is indented with a tab (found "github: acme/app") — fix: indent with spaces; YAML does not allow tabs',
    ]);
  });

  it("a duplicate key, naming the line that set it first", async () => {
    expect(await problemsOf([...route, "    github: acme/other", ""].join("\n"))).toEqual([
      'hf-bridge.yml:4:5 YAML syntax: key "github" is set twice in the same mapping (first on line 3) — fix: keep one of the two (a second value would silently replace the first)',
    ]);
  });

  it("an unclosed bracket, pointing at where it opened", async () => {
    expect(await problemsOf([...route, "    types: [model, dataset", ""].join("\n"))).toEqual([
      'hf-bridge.yml:4:12 YAML syntax: the [ opened on line 4 is never closed (found "types: [model, dataset") — fix: add the closing ] on line 4',
    ]);
  });

  it("an unclosed quote, pointing at where it opened", async () => {
    expect(await problemsOf('routes:\n  - hub: "acme/*\n    github: acme/app\n')).toEqual([
      'hf-bridge.yml:2:10 YAML syntax: the " opened on line 2 is never closed (found "- hub: \\"acme/*") — fix: add the closing " on line 2',
    ]);
  });
});

describe("loadConfig files", () => {
  it("runs with no routes and a notice when the default file is missing", async () => {
    const loaded = await loadConfig({ env: {}, cwd: dir });
    expect(loaded.config).toEqual({
      version: 1,
      routes: [],
      endpoints: [],
      retentionDays: 30,
      users: {},
    });
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
