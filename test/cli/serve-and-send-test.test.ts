import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/create-store.ts";
import type { DeliverySummary } from "../../src/store/store.ts";
import {
  CHILD_PROCESS_TEST_TIMEOUT_MS,
  eventually,
  LOG_LEVEL,
  parseLogLines,
  runCli,
  type ServeProcess,
  startServe,
} from "./support/run-cli.ts";

let dir: string;
let serving: ServeProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hf-bridge-cli-"));
});

afterEach(async () => {
  await serving?.stop();
  serving = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function deliveries(env?: Record<string, string>): Promise<DeliverySummary[]> {
  const listed = await runCli(["deliveries", "--json"], { cwd: dir, ...(env ? { env } : {}) });
  expect(listed.stderr).toBe("");
  expect(listed.code).toBe(0);
  return JSON.parse(listed.stdout) as DeliverySummary[];
}

describe("the README quick start: npm start, then send-test and deliveries", {
  timeout: CHILD_PROCESS_TEST_TIMEOUT_MS,
}, () => {
  it("stores a test delivery without config or secrets and shows it on the landing page", async () => {
    serving = await startServe(["--port", "0"], { cwd: dir });
    expect(serving.output()).toContain(
      `dry-run: no GitHub credentials (set GITHUB_TOKEN, or APP_ID and PRIVATE_KEY for a GitHub App); planned effects are shown at ${serving.landing}`,
    );
    await serving.waitForOutput("HF_WEBHOOK_SECRET is not set, so this bridge accepts UNSIGNED");

    const url = `${serving.landing}webhooks/huggingface`;
    const sent = await runCli(["send-test", "discussion", "--url", url], { cwd: dir });
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain("202 Accepted");

    const [delivery, ...others] = await deliveries();
    expect(others).toEqual([]);
    expect(delivery?.disposition).toBe("ignored");
    expect(delivery?.reason).toContain("openai-community/gpt2");

    const page = await (await fetch(serving.landing)).text();
    expect(page).toContain("openai-community/gpt2");
    expect(await serving.stop()).toBe(0);
    expect(serving.output()).toContain("stopped");
  });
});

describe("serve with a route and a secret", { timeout: CHILD_PROCESS_TEST_TIMEOUT_MS }, () => {
  const env = { HF_WEBHOOK_SECRET: "first-secret,second-secret" };

  it("checks the secret, queues the event, plans effects in dry-run and shows them", async () => {
    await writeFile(
      join(dir, "hf-bridge.yml"),
      'routes:\n  - hub: "openai-community/*"\n    github: acme/gpt2-mirror\n    discussions: true\n',
    );
    serving = await startServe(["--port", "0"], { cwd: dir, env });
    expect(serving.output()).not.toContain("UNSIGNED");
    expect(serving.output()).toContain("config: hf-bridge.yml (1 routes)");
    const url = `${serving.landing}webhooks/huggingface`;

    const wrong = await runCli(["send-test", "discussion", "--url", url], {
      cwd: dir,
      env: { HF_WEBHOOK_SECRET: "not-the-secret" },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain("401");
    expect(wrong.stdout).not.toContain("first-secret");

    for (let send = 0; send < 2; send++) {
      const sent = await runCli(["send-test", "discussion", "--url", url], { cwd: dir, env });
      expect(sent.stdout).toContain("202 Accepted");
    }
    // Watching the store in-process is cheaper than starting a CLI process per poll.
    const store = await createStore(join(dir, "data/bridge.db"));
    try {
      await eventually(async () => {
        const listed = await store.listDeliveries({ limit: 10 });
        return listed.length === 2 && listed.every((d) => d.jobState === "done") ? true : undefined;
      }, "both test deliveries to be processed");
    } finally {
      await store.close();
    }
    const done = await deliveries(env);
    expect(done).toHaveLength(2);
    for (const delivery of done) {
      expect(delivery.eventKind).toBe("discussion.opened");
      expect(delivery.outcome?.effects.map(({ effect }) => effect.type)).toContain("create-issue");
      expect(delivery.outcome?.effects.every(({ result }) => result.status === "planned")).toBe(
        true,
      );
    }

    const exact = await runCli(["send-test", "discussion", "--exact", "--url", url], {
      cwd: dir,
      env,
    });
    const again = await runCli(["send-test", "discussion", "--exact", "--url", url], {
      cwd: dir,
      env,
    });
    expect(exact.stdout).toContain("202 Accepted");
    expect(again.stdout).toContain('"status":"duplicate"');

    const page = await (await fetch(serving.landing)).text();
    expect(page).toContain("discussion.opened");
    expect(page).toContain("acme/gpt2-mirror");
  });

  it("refuses to start with GitHub credentials but no HF_WEBHOOK_SECRET", async () => {
    const result = await runCli(["serve", "--port", "0"], {
      cwd: dir,
      env: { GITHUB_TOKEN: "ghp_test_value_not_real" },
    });
    expect(result.code).toBe(1);
    expect(parseLogLines(result.stdout).at(-1)).toMatchObject({
      level: LOG_LEVEL.fatal,
      msg: expect.stringContaining(
        "set HF_WEBHOOK_SECRET to the secret you typed in the Hub webhook form",
      ),
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).not.toContain("ghp_test_value_not_real");
  });

  it("refuses an invalid config with every problem and does not listen", async () => {
    await writeFile(join(dir, "hf-bridge.yml"), "routes:\n  - hub: acme/*\n    github: acme\n");
    const result = await runCli(["serve", "--port", "0"], { cwd: dir, env });
    expect(result.code).toBe(1);
    const records = parseLogLines(result.stdout);
    expect(records).toContainEqual(
      expect.objectContaining({
        level: LOG_LEVEL.error,
        msg: expect.stringContaining(
          'hf-bridge.yml:3:13 routes[0].github: expected a GitHub repository as "owner/repo" (found "acme")',
        ),
      }),
    );
    expect(records.at(-1)).toMatchObject({
      level: LOG_LEVEL.fatal,
      msg: expect.stringContaining("the config is invalid, so the bridge did not start"),
    });
    expect(result.stdout).not.toContain("landing page");
  });
});
