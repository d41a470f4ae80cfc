import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createFailureTracker,
  type FailureTracker,
} from "../../../src/alarms/create-failure-tracker.ts";
import { createOctokitFactory } from "../../../src/github/create-octokit-factory.ts";
import { readGitHubCredentials } from "../../../src/github/read-github-credentials.ts";
import { githubError } from "../../support/fake-github/github-error.ts";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github/start-fake-github.ts";
import { appEnv, TEST_TOKEN, TEST_TOKEN_LOGIN, tokenEnv } from "./executor-harness.ts";

const log = pino({ level: "silent" });
const APP = "the GitHub App (APP_ID 4242)";
const INSTALLATION = "the GitHub App's installation on acme/app";
const TOKEN_REQUEST = { method: "POST", path: "/app/installations/2/access_tokens" };

let github: FakeGitHub;
let tracker: FailureTracker;

beforeEach(async () => {
  github = await startFakeGitHub({
    repos: [{ owner: "acme", name: "app", installationId: 2 }],
    personalTokens: [{ token: TEST_TOKEN, login: TEST_TOKEN_LOGIN }],
  });
  tracker = createFailureTracker();
});

afterEach(async () => {
  github.expectNoViolations();
  await github.close();
});

function factory(env: Record<string, string>) {
  const credentials = readGitHubCredentials(env);
  if (credentials === undefined) throw new Error("no credentials in the test environment");
  return createOctokitFactory({ credentials, log, onCredentialsOutcome: tracker.record });
}

/** What the tracker holds now: every source failing, with its latest error. */
function failing(): Array<{ source: string; lastError: string }> {
  return tracker
    .failingLongerThan(-1, new Date())
    .map(({ source, lastError }) => ({ source, lastError }));
}

const readRepo = (octokit: { request: (route: string, params: object) => Promise<unknown> }) =>
  octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "app" });

describe("createOctokitFactory's onCredentialsOutcome", () => {
  it("sees the installation-token request refused (401) through the client's own request, and its later success", async () => {
    const octokitFactory = factory(appEnv(github.url));
    const heal = github.inject({
      kind: "status",
      ...githubError(401, "A JSON web token could not be decoded"),
      times: Number.POSITIVE_INFINITY,
      match: TOKEN_REQUEST,
    });
    const client = await octokitFactory.forRepo({ owner: "acme", repo: "app" });
    await expect(readRepo(client.octokit)).rejects.toMatchObject({ status: 401 });
    // GET /app and the installation look-up (the App's JWT) were answered: only the installation fails.
    expect(failing()).toStrictEqual([
      {
        source: INSTALLATION,
        lastError:
          "GitHub answered 401 to POST /app/installations/2/access_tokens: A JSON web token could not be decoded",
      },
    ]);

    heal();
    await readRepo(client.octokit);
    expect(failing()).toStrictEqual([]);
  });

  it("counts a refused token refresh (the installation removed: 404), which no request hook calls a refusal", async () => {
    const octokitFactory = factory(appEnv(github.url));
    const client = await octokitFactory.forRepo({ owner: "acme", repo: "app" });
    await readRepo(client.octokit);
    github.inject({ kind: "status", ...githubError(404, "Not Found"), match: TOKEN_REQUEST });
    await expect(client.refresh()).rejects.toMatchObject({ status: 404 });
    expect(failing()).toStrictEqual([
      {
        source: INSTALLATION,
        lastError: "GitHub answered 404 to POST /app/installations/2/access_tokens: Not Found",
      },
    ]);
  });

  it("names the App when GET /app is refused, and counts no 5xx as a refusal", async () => {
    const octokitFactory = factory(appEnv(github.url));
    github.inject({ kind: "status", ...githubError(502, "Bad Gateway"), match: { path: "/app" } });
    await expect(octokitFactory.identity()).rejects.toMatchObject({ status: 502 });
    expect(failing()).toStrictEqual([]);

    const otherFactory = factory(appEnv(github.url));
    github.inject({ kind: "status", ...githubError(403, "Forbidden"), match: { path: "/app" } });
    await expect(otherFactory.identity()).rejects.toMatchObject({ status: 403 });
    expect(failing()).toStrictEqual([
      { source: APP, lastError: "GitHub answered 403 to GET /app: Forbidden" },
    ]);
  });

  it("names GITHUB_TOKEN when GitHub refuses it, quotes no token, and clears it once a request succeeds", async () => {
    const leaked = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    const octokitFactory = factory(tokenEnv(github.url));
    github.inject({
      kind: "status",
      ...githubError(401, `Bad credentials for ${leaked}`),
      match: { path: "/user" },
    });
    await expect(octokitFactory.identity()).rejects.toMatchObject({ status: 401 });
    expect(failing()).toStrictEqual([
      {
        source: "GITHUB_TOKEN",
        lastError: "GitHub answered 401 to GET /user: Bad credentials for [redacted]",
      },
    ]);

    const client = await factory(tokenEnv(github.url)).forRepo({ owner: "acme", repo: "app" });
    await readRepo(client.octokit);
    expect(failing()).toStrictEqual([]);
  });
});
