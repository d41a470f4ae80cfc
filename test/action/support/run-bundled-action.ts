import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "../../support/paths.ts";
import { readOutputsFile } from "./read-outputs-file.ts";

export const BUNDLE = resolve(REPO_ROOT, "dist/index.js");

export interface BundledRun {
  exitCode: number;
  stdout: string;
  outputs: Record<string, string>;
}

/**
 * Starts the committed `dist/index.js` with this Node, as the runner does for `runs.using: node24`:
 * a clean environment holding only the runner's variables and the step's `INPUT_*`.
 */
export async function runBundledAction(setup: {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  event?: { name: string; payload: unknown };
}): Promise<BundledRun> {
  const directory = mkdtempSync(join(tmpdir(), "action-bundle-"));
  const outputFile = join(directory, "output");
  writeFileSync(outputFile, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_ACTIONS: "true",
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: directory,
    ...setup.env,
    ...Object.fromEntries(
      Object.entries(setup.inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
    ),
  };
  if (setup.event) {
    const eventFile = join(directory, "event.json");
    writeFileSync(eventFile, JSON.stringify(setup.event.payload));
    env.GITHUB_EVENT_PATH = eventFile;
    env.GITHUB_EVENT_NAME = setup.event.name;
  }
  try {
    const { code, stdout } = await runNode([BUNDLE], env, directory);
    return { exitCode: code, stdout, outputs: readOutputsFile(outputFile) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function runNode(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? 1, stdout }));
  });
}
