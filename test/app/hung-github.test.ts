import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ServeProcess, startServe } from "../cli/support/run-cli.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import {
  generateAppPrivateKey,
  hubDiscussionDelivery,
} from "../support/hub-discussion-delivery.ts";

const HUB_SECRET = "hung-github-hub-secret";
/** Longer than any test here runs: to the bridge, a request held this long is hung. */
const HUNG_MS = 10 * 60_000;
/**
 * Bounds on waits for the bridge's own timeouts (10 s for a token, then a retry) on a loaded
 * machine; nothing is asserted about how long anything took.
 */
const WAIT_LIMIT_MS = 90_000;
const TEST_TIMEOUT_MS = 240_000;
const WIDGETS_HUB_REPO = "some-user/widgets-model";
const GADGETS_HUB_REPO = "some-user/gadgets-model";
const CONFIG = `routes:
  - hub: ${WIDGETS_HUB_REPO}
    github: acme/widgets
    discussions: true
  - hub: ${GADGETS_HUB_REPO}
    github: acme/gadgets
    discussions: true
`;
const IDLE_QUEUE = '<p id="queue">0 queued; 0 running; 0 dead.</p>';

let dir: string;
let github: FakeGitHub;
let serving: ServeProcess | undefined;
const privateKey = generateAppPrivateKey();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hf-bridge-hung-github-"));
  await writeFile(join(dir, "hf-bridge.yml"), CONFIG);
  github = await startFakeGitHub({
    repos: [
      { owner: "acme", name: "widgets" },
      { owner: "acme", name: "gadgets", installationId: 2 },
    ],
  });
});

afterEach(async () => {
  // The fake first: closing it ends the requests it holds, so the bridge can stop within its grace.
  await github.close();
  await serving?.stop();
  serving = undefined;
  github.expectNoViolations();
  await rm(dir, { recursive: true, force: true });
});

function serve(): Promise<ServeProcess> {
  return startServe(["--port", "0"], {
    cwd: dir,
    env: {
      APP_ID: "4242",
      PRIVATE_KEY: privateKey,
      GITHUB_API_URL: github.url,
      HF_WEBHOOK_SECRET: HUB_SECRET,
    },
  });
}

async function post(bridge: ServeProcess, hubRepo: string): Promise<number> {
  const response = await fetch(`${bridge.landing}webhooks/huggingface`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-webhook-secret": HUB_SECRET },
    body: hubDiscussionDelivery(hubRepo),
  });
  await response.arrayBuffer();
  return response.status;
}

async function landingPage(bridge: ServeProcess): Promise<string> {
  return (await fetch(bridge.landing)).text();
}

function issueCount(repo: string): number {
  return github.state.repos.get(repo)?.issues.size ?? 0;
}

function hangTokenRequestsOfInstallation1(): void {
  github.inject({
    match: { method: "POST", path: "/app/installations/1/access_tokens" },
    kind: "delay",
    ms: HUNG_MS,
  });
}

describe("a hung GitHub", { timeout: TEST_TIMEOUT_MS }, () => {
  it("does not keep the bridge from listening: webhooks are stored (202) right after start", async () => {
    github.inject({ match: {}, times: Number.POSITIVE_INFINITY, kind: "delay", ms: HUNG_MS });
    serving = await serve();

    expect(await post(serving, WIDGETS_HUB_REPO)).toBe(202);
    expect(await landingPage(serving)).toContain(
      '<p id="setup">Checking the GitHub and Hub set-up in the background; webhooks are stored meanwhile.</p>',
    );
    // The set-up checks did start, and GitHub has answered none of them.
    expect(github.requests.length).toBeGreaterThan(0);
    expect(github.requests.filter((request) => request.status !== undefined)).toEqual([]);
  });

  it("times out a hung installation-token request: the set-up check reports it, that installation's jobs retry, other jobs go on", async () => {
    // The first token request is the set-up check's: it gives up and says so instead of waiting.
    hangTokenRequestsOfInstallation1();
    serving = await serve();
    const bridge = serving;
    await vi.waitFor(
      () => {
        expect(bridge.output()).toContain(
          "setup: acme/widgets: network failure: GitHub at http://127.0.0.1:",
        );
      },
      { timeout: WAIT_LIMIT_MS, interval: 100 },
    );
    expect(bridge.output()).toContain(
      "/app/installations/1/access_tokens could not be reached: no answer came in time",
    );
    const page = await landingPage(bridge);
    expect(page).toContain('<p id="setup">Set-up checked: 1 thing(s) to fix:</p>');
    expect(page).toContain("acme/widgets: network failure: GitHub at");

    // Four jobs of installation 1 take every worker slot and wait on one token request, which hangs.
    hangTokenRequestsOfInstallation1();
    for (let index = 0; index < 4; index++) expect(await post(bridge, WIDGETS_HUB_REPO)).toBe(202);
    expect(await post(bridge, GADGETS_HUB_REPO)).toBe(202);

    await vi.waitFor(
      async () => {
        expect(issueCount("acme/gadgets")).toBe(1);
        expect(issueCount("acme/widgets")).toBe(4);
        expect(await landingPage(bridge)).toContain(IDLE_QUEUE);
      },
      { timeout: WAIT_LIMIT_MS, interval: 200 },
    );
    expect(issueCount("acme/widgets")).toBe(4);
    const tokenRequests = github.requests.filter(
      (request) => request.path === "/app/installations/1/access_tokens",
    );
    // Two hung (the set-up check's, then the jobs'), then a fresh one that GitHub answered.
    expect(tokenRequests.slice(0, 2).map((request) => request.status)).toEqual([
      undefined,
      undefined,
    ]);
    expect(tokenRequests.at(-1)?.status).toBe(201);
  });
});
