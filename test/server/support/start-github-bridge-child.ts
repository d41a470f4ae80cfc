import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { GitHubTuning } from "../../../src/app/create-github-executor-chain.ts";
import type { BridgeAppOptions } from "../../../src/app/start-bridge-app.ts";
import { cliEnv } from "../../cli/support/run-cli.ts";
import { REPO_ROOT } from "../../support/paths.ts";
import { postWebhook } from "./post-webhook.ts";
import type { SentResponse } from "./send-request.ts";
import { TEST_SECRET, WEBHOOK_PATH } from "./start-test-bridge.ts";

const CHILD_SCRIPT = join(REPO_ROOT, "test/server/serve-github-bridge-child.ts");
/** Fixed, so a restarted bridge recognises the markers its predecessor wrote (and tests read them). */
export const CHILD_MARKER_KEY = "github-bridge-child-marker-key-51c7";

/** What the child bridge runs with; the parent passes it as one JSON argument. */
export interface GitHubBridgeChildOptions {
  dbPath: string;
  /** Raw config, parsed by the child with the schema. */
  config: unknown;
  worker?: BridgeAppOptions["worker"];
  github?: GitHubTuning;
  /** The shutdown grace SIGTERM gives, as `serve`'s SHUTDOWN_GRACE_MS. */
  graceMs: number;
}

export interface GitHubBridgeChild {
  child: ChildProcess;
  url: string;
  /** POSTs a Hub webhook payload with the test secret. */
  post(payload: object): Promise<SentResponse>;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, resolved with the exit code once the process has shut down. */
  stop(): Promise<number | null>;
  /** Everything the process wrote to stdout and stderr. */
  output(): string;
}

/** One App key per test process: RSA generation is slow, and the fake only checks the JWT's shape. */
let appPrivateKey: string | undefined;

/**
 * Starts the whole bridge app in its own process, as the GitHub App of the fake GitHub at
 * `githubUrl`, and resolves once it listens.
 */
export async function startGitHubBridgeChild(
  githubUrl: string,
  options: GitHubBridgeChildOptions,
): Promise<GitHubBridgeChild> {
  appPrivateKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  const child = spawn(process.execPath, [CHILD_SCRIPT, JSON.stringify(options)], {
    env: cliEnv({
      APP_ID: "4242",
      PRIVATE_KEY: appPrivateKey,
      GITHUB_API_URL: githubUrl,
      HF_WEBHOOK_SECRET: TEST_SECRET,
      HF_BRIDGE_MARKER_KEY: CHILD_MARKER_KEY,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (piece: Buffer) => {
    output += piece.toString();
  });
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess["stdout"]> });
  lines.on("line", (line) => {
    output += `${line}\n`;
  });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once("exit", (code) =>
      reject(new Error(`the bridge exited (${code}) before listening:\n${output}`)),
    );
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return {
    child,
    url,
    post: (payload) => postWebhook(`${url}${WEBHOOK_PATH}`, JSON.stringify(payload)),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    output: () => output,
  };
}
