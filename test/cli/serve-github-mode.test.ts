import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closedPortUrl } from "../support/closed-port-url.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import {
  CHILD_PROCESS_TEST_TIMEOUT_MS,
  eventually,
  runCli,
  type ServeProcess,
  startServe,
} from "./support/run-cli.ts";

const HUB_SECRET = "serve-github-mode-hub-secret";
const CONFIG = `routes:
  - hub: openai-community/*
    github: acme/widgets
    discussions: true
`;

let dir: string;
let github: FakeGitHub;
let serving: ServeProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hf-bridge-serve-github-"));
  await writeFile(join(dir, "hf-bridge.yml"), CONFIG);
  github = await startFakeGitHub({
    repos: [{ owner: "acme", name: "widgets" }],
    personalTokens: [{ token: "ghp_serve_test_token", login: "octo-bot" }],
  });
});

afterEach(async () => {
  await serving?.stop();
  serving = undefined;
  await github.close();
  github.expectNoViolations();
  await rm(dir, { recursive: true, force: true });
});

/** The one issue the bridge opened in acme/widgets, once the worker has written it. */
async function mirroredIssue() {
  return eventually(async () => {
    const issues = [...(github.state.repos.get("acme/widgets")?.issues.values() ?? [])];
    return issues.length === 1 ? issues[0] : undefined;
  }, "the mirrored issue on the fake GitHub");
}

/** The landing page once it lists the planned create-issue. */
async function plannedEffectsPage(): Promise<string> {
  return eventually(async () => {
    const page = await (await fetch(serving?.landing ?? "")).text();
    return page.includes("create-issue") ? page : undefined;
  }, "the planned create-issue on the landing page");
}

async function sendDiscussion(): Promise<void> {
  const url = `${serving?.landing}webhooks/huggingface`;
  const sent = await runCli(["send-test", "discussion", "--url", url], {
    cwd: dir,
    env: { HF_WEBHOOK_SECRET: HUB_SECRET },
  });
  expect(sent.stdout).toContain("202 Accepted");
}

describe("hf-bridge serve with and without GitHub credentials", {
  timeout: CHILD_PROCESS_TEST_TIMEOUT_MS,
}, () => {
  it("executes a planned effect end to end as a GitHub App", async () => {
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    serving = await startServe(["--port", "0"], {
      cwd: dir,
      env: {
        APP_ID: "4242",
        PRIVATE_KEY: privateKey,
        GITHUB_API_URL: github.url,
        HF_WEBHOOK_SECRET: HUB_SECRET,
      },
    });
    expect(serving.output()).toContain(
      `github: writing to GitHub as a GitHub App at ${github.url}`,
    );

    await sendDiscussion();
    const issue = await mirroredIssue();
    expect(issue.title).toBe("[Hub] Update co2 emissions");
    expect(issue.user.login).toMatch(/\[bot\]$/);
    expect([...issue.labels].sort()).toEqual(["hub-pr", "huggingface"]);

    // The issue can be on GitHub a moment before the worker records the job's outcome.
    const page = await plannedEffectsPage();
    expect(page).toContain("GitHub: planned effects are written to GitHub.");
    expect(page).not.toContain("Dry-run");
    expect(serving.output()).not.toContain("BEGIN RSA PRIVATE KEY");
  });

  it("writes with a plain GITHUB_TOKEN and never prints it", async () => {
    serving = await startServe(["--port", "0"], {
      cwd: dir,
      env: {
        GITHUB_TOKEN: "ghp_serve_test_token",
        GITHUB_API_URL: github.url,
        HF_WEBHOOK_SECRET: HUB_SECRET,
      },
    });
    await sendDiscussion();
    const issue = await mirroredIssue();
    expect(issue.user.login).toBe("octo-bot");
    expect(serving.output()).not.toContain("ghp_serve_test_token");
  });

  it("names an unreachable GitHub a network failure, with the URL and what to check", async () => {
    const closed = await closedPortUrl();
    serving = await startServe(["--port", "0"], {
      cwd: dir,
      env: {
        GITHUB_TOKEN: "ghp_serve_test_token",
        GITHUB_API_URL: closed,
        HF_WEBHOOK_SECRET: HUB_SECRET,
      },
    });
    // Whether the set-up check runs before or after listening, its finding is printed.
    await serving.waitForOutput("GITHUB_TOKEN could not be checked");
    const port = new URL(closed).port;
    expect(serving.output()).toContain(
      `setup: network failure: GitHub at ${closed}/user could not be reached: the connection was refused, so nothing accepts connections at that address (ECONNREFUSED 127.0.0.1:${port}) — check the host and port in GITHUB_API_URL, and that the service there is running; GITHUB_TOKEN could not be checked`,
    );
    expect(serving.output()).not.toContain("refused GITHUB_TOKEN");
  });

  it("stays in dry-run without credentials, says so at start-up and on the page, and writes nothing", async () => {
    // GITHUB_API_URL alone is not a credential: the fake is there to see that nothing reaches it.
    serving = await startServe(["--port", "0"], {
      cwd: dir,
      env: { GITHUB_API_URL: github.url, HF_WEBHOOK_SECRET: HUB_SECRET },
    });
    expect(serving.output()).toContain(
      `dry-run: no GitHub credentials (set GITHUB_TOKEN, or APP_ID and PRIVATE_KEY for a GitHub App); planned effects are shown at ${serving.landing}`,
    );
    await sendDiscussion();
    const page = await plannedEffectsPage();
    expect(page).toContain(
      "Dry-run: effects are planned and recorded, nothing is written to GitHub.",
    );
    expect(github.requests).toEqual([]);
  });

  it("stays in dry-run with --dry-run and writes nothing", async () => {
    serving = await startServe(["--port", "0", "--dry-run"], {
      cwd: dir,
      env: {
        GITHUB_TOKEN: "ghp_serve_test_token",
        GITHUB_API_URL: github.url,
        HF_WEBHOOK_SECRET: HUB_SECRET,
      },
    });
    expect(serving.output()).toContain("dry-run (--dry-run): planned effects are shown at");
    await sendDiscussion();
    await plannedEffectsPage();
    expect(github.requests.filter((request) => request.method !== "GET")).toEqual([]);
  });
});
