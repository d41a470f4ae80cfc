import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/**
 * `hf-bridge serve` as shipped (worker on, dry-run, SQLite, log level info) in a child process of its
 * own; prints the port once the landing page is announced, and stops the child on SIGTERM. The
 * worker drains what wrk posts while it posts, as a deployed bridge would.
 */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const [databasePath] = process.argv.slice(2);
if (!databasePath) throw new Error("usage: shipped-serve-server.ts <sqlite file>");
const configPath = `${databasePath}.yml`;
writeFileSync(configPath, 'routes:\n  - hub: "**"\n    github: acme/app\n    discussions: true\n');

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port: free } = probe.address() as { port: number };
    probe.close(() => resolve(free));
  });
});
const child = spawn(
  process.execPath,
  [
    join(REPO_ROOT, "bin/hf-bridge.js"),
    "serve",
    "--dry-run",
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    "--config",
    configPath,
    "--store",
    databasePath,
  ],
  {
    env: { ...process.env, HF_WEBHOOK_SECRET: "bench-secret", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  },
);
child.once("exit", (code) => process.exit(code ?? 1));
const lines = createInterface({ input: child.stdout });
let announced = false;
lines.on("line", (line) => {
  if (!announced && line.includes("landing page:")) {
    announced = true;
    process.stdout.write(`${port}\n${child.pid}\n`);
    // The rest of the log is read and dropped, as a platform's log collector would take it.
    lines.close();
    child.stdout.resume();
  }
});
process.once("SIGTERM", () => child.kill("SIGTERM"));
