import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
/** The secret every bench sender signs with. */
export const BENCH_SECRET = "bench-secret";

/**
 * `hf-bridge serve` as shipped (worker on, dry-run, log level info) on 127.0.0.1:`port`; its stdout is
 * piped only for a caller that waits for the landing-page line.
 */
export function spawnShippedServe(options: {
  port: number;
  config: string;
  store: string;
  stdout: "pipe" | "ignore";
  /** A command the node process runs under, e.g. valgrind and its options. */
  launcher?: string[];
}): ChildProcess {
  const [command, ...launcherArgs] = [...(options.launcher ?? []), process.execPath];
  return spawn(
    command as string,
    [
      ...launcherArgs,
      // As the Dockerfile's NODE_OPTIONS sets it for a Space.
      "--max-semi-space-size=4",
      join(REPO_ROOT, "bin/hf-bridge.js"),
      "serve",
      "--dry-run",
      "--port",
      String(options.port),
      "--host",
      "127.0.0.1",
      "--config",
      options.config,
      "--store",
      options.store,
    ],
    {
      env: { ...process.env, HF_WEBHOOK_SECRET: BENCH_SECRET, LOG_LEVEL: "info" },
      stdio: ["ignore", options.stdout, "inherit"],
    },
  );
}
