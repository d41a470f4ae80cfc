import { type ChildProcess, exec, spawn } from "node:child_process";
import { once } from "node:events";
import { copyFile, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths.ts";
import { CHILD_PROCESS_TEST_TIMEOUT_MS, cliEnv, eventually } from "./support/run-cli.ts";

const run = promisify(exec);
/** What a first run must show: at least this many kinds of planned effect on the landing page. */
const MIN_EFFECT_KINDS = 3;
const EFFECT_KINDS = [
  "create-issue",
  "create-comment",
  "repository-dispatch",
  "workflow-dispatch",
  "create-check-run",
  "upsert-endpoint-card",
];

/** The shell lines of the fenced block that follows `<!-- first-run: name -->` in the README. */
function readmeCommands(readme: string, name: string): string[] {
  const match = new RegExp(`<!-- first-run: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(
    readme,
  );
  if (!match?.[1]) throw new Error(`README.md has no "first-run: ${name}" block`);
  return match[1].split("\n").filter((line) => line.trim() !== "");
}

/** A checkout as a user has it after `npm install`, in a fresh directory so ./data starts empty. */
async function freshCheckout(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "hf-bridge-first-run-"));
  await copyFile(join(REPO_ROOT, "package.json"), join(dir, "package.json"));
  for (const entry of ["node_modules", "bin", "src", "examples", "schema"]) {
    await symlink(join(REPO_ROOT, entry), join(dir, entry));
  }
  return dir;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let dir: string | undefined;
let serving: ChildProcess | undefined;

afterEach(async () => {
  if (serving?.pid !== undefined && serving.exitCode === null) {
    const exited = once(serving, "exit");
    // npm runs the bridge in a shell of its own; the group is everything this test started.
    process.kill(-serving.pid, "SIGTERM");
    await exited;
  }
  serving = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("the README's first run", { timeout: CHILD_PROCESS_TEST_TIMEOUT_MS * 2 }, () => {
  it("typed as written, puts planned effects of several kinds on the landing page", async () => {
    const readme = await readFile(join(REPO_ROOT, "README.md"), "utf8");
    const [serveCommand, ...extra] = readmeCommands(readme, "serve");
    expect(extra).toEqual([]);
    const sendCommands = readmeCommands(readme, "send");
    dir = await freshCheckout();
    // PORT moves the whole run off 7860, which parallel tests or a running bridge may hold; serve
    // and send-test both read it, so the commands stay exactly as written.
    const env = cliEnv({ PORT: String(await freePort()) });

    const started = spawn("sh", ["-c", serveCommand as string], {
      cwd: dir,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    serving = started;
    let output = "";
    started.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    started.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const landing = await eventually(
      async () => /"msg":"landing page: ([^"\s]+)"/.exec(output)?.[1],
      `the landing page URL in:\n${output}`,
    );
    expect(output).toContain("config: examples/first-run.yml (2 routes)");

    for (const command of sendCommands) {
      const { stdout } = await run(command, { cwd: dir, env });
      if (command.includes("send-test")) expect(stdout).toContain("202 Accepted");
    }

    const kinds = await eventually(async () => {
      const page = await (await fetch(landing)).text();
      // Every sample's job has run once the page shows three finished jobs.
      const finished = page.match(/done, \d+ attempt/g)?.length ?? 0;
      return finished < sendCommands.filter((line) => line.includes("send-test")).length
        ? undefined
        : EFFECT_KINDS.filter((kind) => page.includes(`${kind} on `));
    }, "planned effects of the samples on the landing page");
    expect(kinds.length).toBeGreaterThanOrEqual(MIN_EFFECT_KINDS);
    expect(kinds).toEqual([
      "create-issue",
      "create-comment",
      "repository-dispatch",
      "create-check-run",
    ]);
  });
});
