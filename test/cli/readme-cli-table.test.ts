import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/create-store.ts";
import { fixtureDelivery } from "../store/fixture-delivery.ts";
import { type FakeHub, startFakeHub } from "../support/fake-hub/start-fake-hub.ts";
import { REPO_ROOT } from "../support/paths.ts";
import { cliEnv, type LogRecord, parseLogLines } from "./support/run-cli.ts";

/** Eight `npx` start-ups (npm, then Node) and a bridge, on a loaded two-core machine. */
const TEST_TIMEOUT_MS = 240_000;
const HUB_SECRET = "readme-cli-table-hub-secret";
const HUB_REPO = "some-user/some-repo";
const CONFIG = `routes:
  - hub: openai-community/*
    github: acme/gpt2-mirror
    discussions: true
  - hub: some-user/*
    github: acme/widgets
    discussions: true
`;

const README = readFileSync(join(REPO_ROOT, "README.md"), "utf8");

/** The first cell of each row of the table in the README's "## CLI" section: a command as typed. */
function readmeCliCommands(): string[] {
  const start = README.indexOf("\n## CLI\n");
  const end = README.indexOf("\n## ", start + 1);
  const section = README.slice(start, end);
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1] ?? "");
}

interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A user's shell after `npm install`: this test runs under npm, which put `node_modules/.bin` (and so
 * Node 24) first on PATH; a user's shell has only the machine's own Node and npm.
 */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = cliEnv(extra);
  env.PATH = (env.PATH ?? "")
    .split(delimiter)
    .filter((entry) => !entry.endsWith(join("node_modules", ".bin")))
    .join(delimiter);
  return env;
}

/**
 * npm warns when the machine's own Node is older than `engines` asks (on a machine with Node 20);
 * the command still runs, on the Node 24 of `node_modules/.bin`.
 */
function withoutEngineWarnings(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !line.startsWith("npm warn EBADENGINE"))
    .join("\n")
    .trim();
}

/** Runs one command line through the shell from the clone, as a user types it there. */
function startShell(command: string, env: NodeJS.ProcessEnv) {
  const child = spawn("sh", ["-c", command], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const result: ShellResult = { code: null, stdout: "", stderr: "" };
  child.stdout.on("data", (piece: Buffer) => {
    result.stdout += piece.toString("utf8");
  });
  child.stderr.on("data", (piece: Buffer) => {
    result.stderr += piece.toString("utf8");
  });
  const exited = once(child, "exit").then(([code]) => {
    result.code = code as number | null;
    return result;
  });
  return { child, result, exited };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

let dir: string;
let hub: FakeHub;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hf-bridge-readme-"));
  hub = await startFakeHub();
  const repo = hub.addRepo({ id: "6366c000a2abcdf2fd69a080", type: "model", name: HUB_REPO });
  for (const num of [1, 2]) {
    hub.addDiscussion(repo, {
      num,
      title: `Opened before the bridge ${num}`,
      status: "open",
      isPullRequest: false,
      author: { id: "61d2000c3c2083e1c08af22d", name: "some-user" },
      openingComment: { id: `6400000000000000000000${num}0`, text: `Opening post ${num}` },
    });
  }
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the README's CLI table", () => {
  it("lists every command the CLI has, each written as npx hf-bridge", async () => {
    const commands = readmeCliCommands();
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(command).toMatch(/^npx hf-bridge [a-z-]+( |$)/);

    const help = await startShell("npx hf-bridge --help", userEnv()).exited;
    expect(help.code).toBe(0);
    const known = help.stdout
      .slice(help.stdout.indexOf("Commands:"))
      .split("\n")
      .flatMap((line) => /^ {2}([a-z-]+)/.exec(line)?.[1] ?? [])
      .filter((name) => name !== "help");
    expect(known.length).toBeGreaterThan(0);
    expect(commands.map((command) => command.split(" ")[2]).sort()).toEqual(known.sort());
  });

  it("writes every hf-bridge command elsewhere in the README in a form that works after npm install", () => {
    const invocations = [
      ...README.matchAll(
        /(?:(\S+) )?hf-bridge (?:serve|validate-config|send-test|deliveries|dead-letters|replay|backfill)\b/g,
      ),
    ];
    expect(invocations.length).toBeGreaterThan(0);
    expect(
      invocations
        .filter((match) => !/(^|[^\w-])npx$/.test(match[1] ?? ""))
        .map((match) => match[0]),
    ).toEqual([]);
  });

  it("runs every command of the table as written there, after npm install", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const configFile = join(dir, "hf-bridge.yml");
    await writeFile(configFile, CONFIG);
    const storeFile = join(dir, "bridge.db");
    const store = await createStore(storeFile);
    let deadJobId: number;
    try {
      await store.recordDelivery(fixtureDelivery("hubdocs-discussion-create-pr.json"));
      const job = await store.claimJob({ workerId: "readme-test", leaseMs: 60_000 });
      if (!job) throw new Error("the seeded job was not claimable");
      await store.deadLetterJob(job, "GitHub answered 422: Validation Failed");
      deadJobId = job.id;
    } finally {
      await store.close();
    }
    // What a user's shell would hold: the store, config and secret the bridge runs with, a port.
    const env = userEnv({
      HF_BRIDGE_STORE: storeFile,
      HF_BRIDGE_CONFIG: configFile,
      HF_WEBHOOK_SECRET: HUB_SECRET,
      HF_ENDPOINT: hub.url,
      PORT: String(await freePort()),
    });
    const placeholders: Record<string, string> = {
      "<jobId>": String(deadJobId),
      "<owner/name>": HUB_REPO,
    };
    /** What each command prints when it did its job; a command missing here fails the test. */
    const expected: Record<string, RegExp> = {
      "validate-config": /hf-bridge\.yml is valid: 2 routes/,
      "send-test": /^202 Accepted$/m,
      deliveries: /^#2 \S+ hub discussion\.opened queued job 2 /m,
      "dead-letters": new RegExp(
        `^job ${deadJobId} \\(delivery #1\\) discussion\\.opened failed`,
        "m",
      ),
      replay: new RegExp(`^job ${deadJobId} re-queued`, "m"),
      backfill: new RegExp(`^model ${HUB_REPO}: 2 discussions, 2 queued for mirroring`, "m"),
    };

    const commands = readmeCliCommands().map((command) =>
      command.replace(/<[^>]+>/g, (placeholder) => {
        const value = placeholders[placeholder];
        if (value === undefined) throw new Error(`no value for ${placeholder} in "${command}"`);
        return value;
      }),
    );
    const [serveCommand, ...others] = commands;
    expect(serveCommand).toBe("npx hf-bridge serve");

    const serving = startShell(serveCommand ?? "", env);
    children.push(serving.child);
    const ready = await new Promise<LogRecord>((resolve, reject) => {
      serving.child.stdout?.on("data", () => {
        const landing = parseLogLines(serving.result.stdout).find((record) =>
          record.msg.startsWith("landing page: "),
        );
        if (landing) resolve(landing);
      });
      void serving.exited.then(({ code, stdout, stderr }) =>
        reject(new Error(`serve exited (${code}) before it was ready: ${stdout}${stderr}`)),
      );
    });

    for (const command of others) {
      const name = command.split(" ")[2] ?? "";
      const ran = await startShell(command, env).exited;
      expect({ command, code: ran.code, stderr: withoutEngineWarnings(ran.stderr) }).toEqual({
        command,
        code: 0,
        stderr: "",
      });
      expect(expected[name], `an expected output for "${name}" in this test`).toBeDefined();
      expect(ran.stdout).toMatch(expected[name] ?? /$^/);
    }

    // The bridge is the node process that logs; npx and the shell above it only wait for it.
    process.kill((ready as LogRecord & { pid: number }).pid, "SIGTERM");
    const stopped = await serving.exited;
    expect(stopped.code).toBe(0);
    const records = parseLogLines(stopped.stdout);
    expect(records.at(-1)?.msg).toBe("stopped");
    expect(records).toContainEqual(
      expect.objectContaining({ msg: "request", path: "/webhooks/huggingface", status: 202 }),
    );
  });
});
