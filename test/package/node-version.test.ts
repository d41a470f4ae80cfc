import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CHILD_PROCESS_TEST_TIMEOUT_MS } from "../cli/support/run-cli.ts";
import { REPO_ROOT } from "../support/paths.ts";

const run = promisify(execFile);
const ENTRY = join(REPO_ROOT, "bin/hf-bridge.js");

/** Runs the CLI entry under this Node 24 binary, which reports `version` as its own. */
async function startAs(version: string): Promise<{ code: number; stderr: string }> {
  const pretend = `data:text/javascript,Object.defineProperty(process.versions,"node",{value:"${version}"})`;
  try {
    const { stderr } = await run(process.execPath, ["--import", pretend, ENTRY, "--help"]);
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe("the Node.js version", { timeout: CHILD_PROCESS_TEST_TIMEOUT_MS }, () => {
  it("engines names the first versions that run TypeScript without a flag", async () => {
    const manifest = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as {
      engines: { node: string };
      bin: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(manifest.engines.node).toBe("^22.18.0 || >=23.6.0");
    expect(manifest.bin["hf-bridge"]).toBe("bin/hf-bridge.js");
    expect(manifest.scripts.start).toBe("node bin/hf-bridge.js serve");
  });

  it("an older Node stops at once with what it needs and how to get it", async () => {
    const result = await startAs("22.12.0");
    expect(result).toEqual({
      code: 1,
      stderr:
        "hf-bridge: Node.js 22.12.0 cannot run it; it needs 22.18 or later (Node 24 recommended), which run TypeScript directly — fix: install Node 24, or run it through npm (npm start, npm run hf-bridge -- <command>), which uses the Node 24 that npm install puts in node_modules/.bin\n",
    });
  });

  it("accepts exactly what engines allows", async () => {
    const outcomes = await Promise.all(
      ["22.17.1", "22.18.0", "23.5.0", "23.6.0", "24.0.0", "25.1.0"].map(async (version) => [
        version,
        (await startAs(version)).code,
      ]),
    );
    expect(outcomes).toEqual([
      ["22.17.1", 1],
      ["22.18.0", 0],
      ["23.5.0", 1],
      ["23.6.0", 0],
      ["24.0.0", 0],
      ["25.1.0", 0],
    ]);
  });
});
