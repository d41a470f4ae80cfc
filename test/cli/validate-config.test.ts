import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths.ts";
import { CHILD_PROCESS_TEST_TIMEOUT_MS, runCli } from "./support/run-cli.ts";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hf-bridge-validate-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("hf-bridge validate-config", { timeout: CHILD_PROCESS_TEST_TIMEOUT_MS }, () => {
  it("exits 0 with a summary of the example config's routes", async () => {
    await copyFile(join(REPO_ROOT, "examples/hf-bridge.example.yml"), join(dir, "hf-bridge.yml"));
    const result = await runCli(["validate-config"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      "hf-bridge.yml is valid: 2 routes, 0 endpoint watches",
      "  acme/* (model, dataset) → acme/ml-models: discussions, 1 dispatch rule",
      "  acme/demo-space (space) → acme/demo: discussions",
    ]);
  });

  it("exits 1 with every problem of the file HF_BRIDGE_CONFIG names", async () => {
    await writeFile(
      join(dir, "bad.yml"),
      "routes:\n  - hub: acme/*\n    github: acme\n    githubToken: abc\n",
    );
    const result = await runCli(["validate-config"], {
      cwd: dir,
      env: { HF_BRIDGE_CONFIG: "bad.yml" },
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      'bad.yml:3:13 routes[0].github: expected a GitHub repository as "owner/repo" (found "acme") — fix: write it as owner/repo, e.g. acme/app',
      "bad.yml:4:5 routes[0].githubToken: looks like a secret; secrets do not belong in the config file (value not shown) — fix: delete it here and set GITHUB_TOKEN in the environment instead",
      "hf-bridge: bad.yml has 2 problems",
    ]);
  });

  it("exits 1 on a title template typo that would otherwise dead-letter every discussion job", async () => {
    await writeFile(
      join(dir, "hf-bridge.yml"),
      'routes:\n  - hub: acme/*\n    github: acme/app\n    discussions:\n      titleTemplate: "[Hub] {{titel}}"\n',
    );
    const result = await runCli(["validate-config"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      'hf-bridge.yml:5:22 routes[0].discussions.titleTemplate: unknown placeholder {{titel}} (found "[Hub] {{titel}}") — fix: did you mean {{title}}? (variables allowed here: {{title}}, {{num}}, {{repo}}, {{type}})',
      "hf-bridge: hf-bridge.yml has 1 problem",
    ]);
  });

  it("exits 1 naming the misindented line, not a missing bracket", async () => {
    await writeFile(
      join(dir, "hf-bridge.yml"),
      "routes:\n  - hub: acme/*\n    github: acme/app\n   discussions: true\n",
    );
    const result = await runCli(["validate-config"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      'hf-bridge.yml:4:4 YAML syntax: line 4 is indented 3 spaces, which lines it up with no key above it (found "discussions: true") — fix: indent it 4 spaces, to line up with "github" on line 3',
      "hf-bridge: hf-bridge.yml has 1 problem",
    ]);
  });

  it("exits 1 when the file named with --config is missing", async () => {
    const result = await runCli(["validate-config", "--config", "missing.yml"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--config names "missing.yml", but the file does not exist');
  });
});
