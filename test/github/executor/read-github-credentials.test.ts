import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readGitHubCredentials } from "../../../src/github/read-github-credentials.ts";

const PEM =
  "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n";

describe("readGitHubCredentials", () => {
  it("reads App credentials with Probot's names, unescaping one-line keys", () => {
    const credentials = readGitHubCredentials({
      APP_ID: "4242",
      PRIVATE_KEY: PEM.replace(/\n/g, "\\n"),
      WEBHOOK_SECRET: "shh",
    });
    expect(credentials).toEqual({
      kind: "app",
      appId: 4242,
      privateKey: PEM,
      webhookSecret: "shh",
      baseUrl: "https://api.github.com",
    });
  });

  it("reads the key from PRIVATE_KEY_PATH", () => {
    const directory = mkdtempSync(join(tmpdir(), "credentials-test-"));
    try {
      const path = join(directory, "app.pem");
      writeFileSync(path, PEM);
      expect(readGitHubCredentials({ APP_ID: "1", PRIVATE_KEY_PATH: path })).toMatchObject({
        kind: "app",
        privateKey: PEM,
      });
      expect(() =>
        readGitHubCredentials({ APP_ID: "1", PRIVATE_KEY_PATH: join(directory, "missing.pem") }),
      ).toThrow(/PRIVATE_KEY_PATH ".*missing\.pem" cannot be read \(ENOENT\)/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("falls back to GITHUB_TOKEN, honours GITHUB_API_URL, and is undefined without either", () => {
    expect(
      readGitHubCredentials({ GITHUB_TOKEN: "ghp_x", GITHUB_API_URL: "http://127.0.0.1:9/" }),
    ).toEqual({ kind: "token", token: "ghp_x", baseUrl: "http://127.0.0.1:9" });
    expect(readGitHubCredentials({})).toBeUndefined();
  });

  it("names the bad input, quotes it and says how to fix it", () => {
    expect(() => readGitHubCredentials({ APP_ID: "my-app", PRIVATE_KEY: PEM })).toThrow(
      'APP_ID "my-app" is not a GitHub App id; copy the numeric "App ID"',
    );
    expect(() => readGitHubCredentials({ APP_ID: "7" })).toThrow(
      /neither PRIVATE_KEY nor PRIVATE_KEY_PATH is; generate a private key/,
    );
    expect(() => readGitHubCredentials({ APP_ID: "7", PRIVATE_KEY: "not a key" })).toThrow(
      /PRIVATE_KEY does not hold a PEM private key/,
    );
    expect(() => readGitHubCredentials({ PRIVATE_KEY: PEM })).toThrow(/APP_ID is not/);
    expect(() =>
      readGitHubCredentials({ GITHUB_TOKEN: "t", GITHUB_API_URL: "api.github.com" }),
    ).toThrow('GITHUB_API_URL "api.github.com" is not a URL');
  });

  it("never puts the key into an error message", () => {
    const secretish = "-----BEGIN RSA PRIVATE KEY-----\nSECRETSECRET";
    expect(() => readGitHubCredentials({ APP_ID: "7", PRIVATE_KEY: secretish })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("SECRETSECRET") }),
    );
  });
});
