import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { REPO_ROOT } from "../../support/paths.ts";

export const CLI = join(REPO_ROOT, "src/cli/index.ts");
/** Each step starts a Node process; on a loaded two-core CI machine a few of them take seconds. */
export const CHILD_PROCESS_TEST_TIMEOUT_MS = 90_000;

/** Variables that change the bridge's behaviour; tests start from none of them and set their own. */
const BRIDGE_VARIABLES = [
  "HF_WEBHOOK_SECRET",
  "HF_BRIDGE_CONFIG",
  "HF_BRIDGE_STORE",
  "PORT",
  "GITHUB_TOKEN",
  "APP_ID",
  "PRIVATE_KEY",
  "PRIVATE_KEY_PATH",
  "WEBHOOK_SECRET",
  "HF_TOKEN",
  "GITHUB_API_URL",
  "HF_ENDPOINT",
  "HF_ENDPOINTS_API_URL",
  "HF_BRIDGE_MARKER_KEY",
  "SPACE_HOST",
];

export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of BRIDGE_VARIABLES) delete env[name];
  return { ...env, ...extra };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node src/cli/index.ts <args>` with this Node 24 binary, as a user would. */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: options.cwd, env: cliEnv(options.env) },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** One line of `serve`'s log as pino writes it when stdout is not a terminal. */
export interface LogRecord {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface ServeProcess {
  child: ChildProcess;
  /** The landing page URL the process logged, ending in "/". */
  landing: string;
  /** Everything the process printed so far, stdout and stderr. */
  output(): string;
  /** What it printed on stderr alone. */
  stderr(): string;
  /** Each complete stdout line so far, parsed; a line that is not one JSON object fails. */
  records(): LogRecord[];
  /** Resolves once the process has printed `text` on stdout or stderr. */
  waitForOutput(text: string): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code once the process has shut down. */
  stop(): Promise<number | null>;
}

/** pino's numbers for the levels tests look for. */
export const LOG_LEVEL = { info: 30, warn: 40, error: 50, fatal: 60 } as const;

/** Parses stdout as pino's JSON lines, naming the first line that is not one. */
export function parseLogLines(stdout: string): LogRecord[] {
  const complete = stdout.slice(0, stdout.lastIndexOf("\n") + 1);
  return complete
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        throw new Error(`a stdout line is not JSON: ${JSON.stringify(line)}`);
      }
      const { level, msg } = (record ?? {}) as Partial<LogRecord>;
      if (typeof level !== "number" || typeof msg !== "string")
        throw new Error(`a stdout line is not a pino record with level and msg: ${line}`);
      return record as LogRecord;
    });
}

/**
 * Starts `serve` and waits until it logs its landing page URL; it fails when the process exits first
 * or prints a stdout line that is not JSON.
 */
export async function startServe(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, "serve", ...args], {
    cwd: options.cwd,
    env: cliEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let stdout = "";
  let stderr = "";
  const landing = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      stdout += chunk.toString("utf8");
      let records: LogRecord[];
      try {
        records = parseLogLines(stdout);
      } catch (error) {
        reject(error);
        return;
      }
      const ready = records.find((record) => record.msg.startsWith("landing page: "));
      if (ready) resolve(ready.msg.slice("landing page: ".length));
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      stderr += chunk.toString("utf8");
    });
    child.once("exit", (code) =>
      reject(new Error(`serve exited (${code}) before listening:\n${output}`)),
    );
  });
  return {
    child,
    landing,
    output: () => output,
    stderr: () => stderr,
    records: () => parseLogLines(stdout),
    waitForOutput: (text) =>
      eventually(
        async () => (output.includes(text) ? true : undefined),
        `"${text}" in the output`,
      ).then(() => undefined),
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** Polls until `check` returns a value; the bridge works in the background, so results arrive later. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const POLL_MS = 100;
  const GIVE_UP_AFTER_POLLS = 150;
  for (let poll = 0; poll < GIVE_UP_AFTER_POLLS; poll++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`gave up waiting for ${what}`);
}
