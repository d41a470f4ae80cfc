import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import {
  CHILD_PROCESS_TEST_TIMEOUT_MS,
  LOG_LEVEL,
  type LogRecord,
  runCli,
  type ServeProcess,
  startServe,
} from "./support/run-cli.ts";

const HUB_SECRET = "serve-log-format-hub-secret";
const TOKEN = "ghp_serve_log_format_token";
/** One route GitHub shows the token, one it does not, one asking for checks, and an unpolled endpoint watch. */
const CONFIG = `routes:
  - hub: openai-community/*
    github: acme/widgets
    discussions: true
  - hub: acme/hidden-model
    github: acme/hidden
    commits: checks
endpoints:
  - namespace: acme
    github: acme/widgets
`;

let dir: string;
let github: FakeGitHub;
let serving: ServeProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hf-bridge-serve-log-"));
  await writeFile(join(dir, "hf-bridge.yml"), CONFIG);
  github = await startFakeGitHub({
    repos: [{ owner: "acme", name: "widgets" }],
    personalTokens: [{ token: TOKEN, login: "octo-bot" }],
  });
});

afterEach(async () => {
  await serving?.stop();
  serving = undefined;
  await github.close();
  await rm(dir, { recursive: true, force: true });
});

function countBy(records: LogRecord[], pick: (record: LogRecord) => boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records.filter(pick))
    counts.set(record.msg, (counts.get(record.msg) ?? 0) + 1);
  return counts;
}

describe("serve's log when stdout is not a terminal", {
  timeout: CHILD_PROCESS_TEST_TIMEOUT_MS,
}, () => {
  it("is JSON lines only, from start-up to shutdown, with each setup message once", async () => {
    serving = await startServe(["--port", "0"], {
      cwd: dir,
      env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url, HF_WEBHOOK_SECRET: HUB_SECRET },
    });
    const sent = await runCli(
      ["send-test", "discussion", "--url", `${serving.landing}webhooks/huggingface`],
      { cwd: dir, env: { HF_WEBHOOK_SECRET: HUB_SECRET } },
    );
    expect(sent.stdout).toContain("202 Accepted");
    expect(await serving.stop()).toBe(0);

    // records() fails on the first stdout line that is not a JSON pino record.
    const records = serving.records();
    expect(serving.stderr()).toBe("");

    const setup = countBy(records, (record) => record.msg.startsWith("setup: "));
    expect([...setup.keys()].sort()).toEqual([
      expect.stringMatching(/^setup: acme\/hidden: /),
      "setup: acme/hidden: route acme/hidden-model → acme/hidden asks for checks, which need a GitHub App: set APP_ID and PRIVATE_KEY",
      "setup: endpoints are configured but HF_TOKEN is not set, so they are not polled: set HF_TOKEN to a token that can read the namespaces",
    ]);
    expect([...setup.values()]).toEqual([1, 1, 1]);
    for (const record of records.filter((each) => each.msg.startsWith("setup: ")))
      expect(record.level).toBe(LOG_LEVEL.warn);

    // Every start-up line, once each; then the request, and the shutdown lines.
    const landing = records.findIndex((record) => record.msg.startsWith("landing page: "));
    const startUp = countBy(records.slice(0, landing + 1), () => true);
    expect([...startUp].filter(([, count]) => count > 1)).toEqual([]);
    expect([...startUp.keys()]).toEqual(
      expect.arrayContaining([
        `github: writing to GitHub as a token user at ${github.url}`,
        "config: hf-bridge.yml (2 routes)",
        `landing page: ${serving.landing}`,
      ]),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ msg: "request", status: 202, path: "/webhooks/huggingface" }),
    );
    const shutdown = countBy(
      records,
      (record) => record.msg.startsWith("SIGTERM: ") || record.msg === "stopped",
    );
    expect([...shutdown]).toEqual([
      ["SIGTERM: shutting down (server, pollers, then worker, then store)", 1],
      ["stopped", 1],
    ]);
    expect(serving.output()).not.toContain(TOKEN);
  });
});
