import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BridgeConfig, configSchema } from "../../../src/config/config-schema.ts";
import { checkGitHubSetup } from "../../../src/github/check-github-setup.ts";
import { createOctokitFactory } from "../../../src/github/create-octokit-factory.ts";
import { readGitHubCredentials } from "../../../src/github/read-github-credentials.ts";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github/start-fake-github.ts";
import { appEnv, TEST_TOKEN, TEST_TOKEN_LOGIN, tokenEnv } from "./executor-harness.ts";

const log = pino({ level: "silent" });

function config(routes: Array<Record<string, unknown>>): BridgeConfig {
  return configSchema.parse({ routes });
}

async function findings(env: Record<string, string>, bridgeConfig: BridgeConfig) {
  const credentials = readGitHubCredentials(env);
  if (credentials === undefined) throw new Error("no credentials in the test environment");
  const octokitFactory = createOctokitFactory({ credentials, log });
  const found = await checkGitHubSetup({ config: bridgeConfig, credentials, octokitFactory });
  return found.map((finding) => finding.message);
}

describe("checkGitHubSetup", () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub({
      repos: [
        { owner: "acme", name: "app" },
        { owner: "acme", name: "site", installationId: null },
      ],
      personalTokens: [{ token: TEST_TOKEN, login: TEST_TOKEN_LOGIN }],
    });
  });
  afterEach(async () => {
    github.expectNoViolations();
    await github.close();
  });

  it("finds nothing to fix when the App is installed on every configured repo", async () => {
    const messages = await findings(
      appEnv(github.url),
      config([{ hub: "acme/*", github: "acme/app", commits: "checks" }]),
    );
    expect(messages).toEqual([]);
    expect(github.requests.map((request) => `${request.method} ${request.path}`)).toEqual(
      expect.arrayContaining([
        "GET /app",
        "GET /repos/acme/app/installation",
        "GET /repos/acme/app",
      ]),
    );
  });

  it("says where to install the App when it is missing from a repo", async () => {
    const messages = await findings(
      appEnv(github.url),
      config([
        { hub: "acme/model", github: "acme/app" },
        { hub: "acme/space", github: "acme/site" },
      ]),
    );
    expect(messages).toEqual([
      "The GitHub App is not installed on acme/site: install it at https://github.com/apps/hf-github-bridge/installations/new",
    ]);
  });

  it("says a token cannot see a repo and that checks need an App", async () => {
    const messages = await findings(
      tokenEnv(github.url),
      config([
        { hub: "acme/*", github: "acme/app", commits: "checks" },
        { hub: "other/*", github: "acme/ghost" },
      ]),
    );
    expect(messages).toEqual([
      "route acme/* → acme/app asks for checks, which need a GitHub App: set APP_ID and PRIVATE_KEY",
      "GITHUB_TOKEN cannot see acme/ghost: give it access to that repository",
    ]);
  });

  it("reports credentials GitHub refuses without echoing the token", async () => {
    const messages = await findings(
      { GITHUB_TOKEN: "ghp_notarealtokenatallxxxxxxxxxxxxxxxxx", GITHUB_API_URL: github.url },
      config([{ hub: "acme/*", github: "acme/app" }]),
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^GitHub refused GITHUB_TOKEN \(401: Bad credentials\)/);
    expect(messages[0]).not.toContain("ghp_notarealtoken");
  });
});
