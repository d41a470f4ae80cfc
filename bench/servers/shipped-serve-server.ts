import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { spawnShippedServe } from "./spawn-shipped-serve.ts";

/**
 * `hf-bridge serve` as shipped (worker on, dry-run, log level info) over `store` (a SQLite file or a
 * postgres:// URL, as `--store` takes it) in a child process of its own; prints the port once the
 * landing page is announced, and stops the child on SIGTERM. The worker drains what wrk posts while
 * it posts, as a deployed bridge would.
 */
const [store, configPath] = process.argv.slice(2);
if (!store || !configPath) {
  throw new Error(
    "usage: shipped-serve-server.ts <sqlite file or postgres url> <config file to write>",
  );
}
writeFileSync(configPath, 'routes:\n  - hub: "**"\n    github: acme/app\n    discussions: true\n');

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port: free } = probe.address() as { port: number };
    probe.close(() => resolve(free));
  });
});
const child = spawnShippedServe({ port, config: configPath, store, stdout: "pipe" });
const { stdout } = child;
if (!stdout) throw new Error("serve was spawned without a stdout pipe");
child.once("exit", (code) => process.exit(code ?? 1));
const lines = createInterface({ input: stdout });
let announced = false;
lines.on("line", (line) => {
  if (!announced && line.includes("landing page:")) {
    announced = true;
    process.stdout.write(`${port}\n${child.pid}\n`);
    // The rest of the log is read and dropped, as a platform's log collector would take it.
    lines.close();
    stdout.resume();
  }
});
process.once("SIGTERM", () => child.kill("SIGTERM"));
