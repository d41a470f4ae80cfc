import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { spawnShippedServe } from "../servers/spawn-shipped-serve.ts";

/**
 * `hf-bridge serve` as shipped on `port` over the SQLite file `database`, routing every repo; under
 * `launcher` (e.g. valgrind) if given.
 */
export function startServe(port: number, database: string, launcher?: string[]): ChildProcess {
  const config = `${database}.yml`;
  writeFileSync(config, 'routes:\n  - hub: "**"\n    github: acme/app\n    discussions: true\n');
  return spawnShippedServe({
    port,
    config,
    store: database,
    stdout: "ignore",
    ...(launcher ? { launcher } : {}),
  });
}
