import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import { type RunOptions, run } from "../../../src/action/main.ts";
import { readOutputsFile } from "./read-outputs-file.ts";

export interface ActionRun {
  outputs: Record<string, string>;
  /** `::error::` lines the step printed; empty when it succeeded. */
  errors: string[];
  /** `::error <properties>::` lines, as printed: annotations on a file and line. */
  annotations: string[];
  /** Everything else the step printed. */
  log: string[];
  exitCode: number;
}

/**
 * Calls `run()` as the runner would start it: inputs as `INPUT_<NAME>` variables, the event in a file
 * at GITHUB_EVENT_PATH, outputs read back from GITHUB_OUTPUT. The environment is restored after.
 */
export async function runActionInProcess(setup: {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  event?: { name: string; payload: unknown };
  options?: RunOptions;
}): Promise<ActionRun> {
  const directory = mkdtempSync(join(tmpdir(), "action-run-"));
  const outputFile = join(directory, "output");
  writeFileSync(outputFile, "");
  const env: Record<string, string> = {
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
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const printed: string[] = [];
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    printed.push(...String(chunk).split("\n").filter(Boolean));
    return true;
  });
  Object.assign(process.env, env);
  try {
    await run(setup.options);
    return {
      outputs: readOutputsFile(outputFile),
      errors: printed.filter((line) => line.startsWith("::error::")).map((line) => line.slice(9)),
      annotations: printed.filter((line) => line.startsWith("::error ")),
      log: printed.filter((line) => !line.startsWith("::")),
      exitCode: Number(process.exitCode ?? 0),
    };
  } finally {
    write.mockRestore();
    process.exitCode = undefined;
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(directory, { recursive: true, force: true });
  }
}
