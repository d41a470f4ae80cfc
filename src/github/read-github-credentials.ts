import { readFileSync } from "node:fs";

const DEFAULT_GITHUB_API_URL = "https://api.github.com";

/** GitHub App credentials (Probot's variable names) or a plain token; secrets stay in this object only. */
export type GitHubCredentials =
  | {
      kind: "app";
      appId: number;
      privateKey: string;
      /** Verifies GitHub webhooks on `/api/github/webhooks`; absent when the App sends none. */
      webhookSecret?: string;
      baseUrl: string;
    }
  | { kind: "token"; token: string; baseUrl: string };

const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/;

/**
 * Reads `APP_ID` with `PRIVATE_KEY` or `PRIVATE_KEY_PATH` (and `WEBHOOK_SECRET`), or else `GITHUB_TOKEN`,
 * and `GITHUB_API_URL`. Returns undefined when none is set: the bridge then runs in dry-run mode.
 */
export function readGitHubCredentials(
  env: Record<string, string | undefined>,
): GitHubCredentials | undefined {
  const baseUrl = readBaseUrl(env.GITHUB_API_URL);
  const appIdText = env.APP_ID?.trim();
  if (appIdText) {
    const appId = Number(appIdText);
    if (!Number.isSafeInteger(appId) || appId <= 0) {
      throw new Error(
        `APP_ID ${JSON.stringify(appIdText)} is not a GitHub App id; copy the numeric "App ID" from the App's settings page`,
      );
    }
    const webhookSecret = env.WEBHOOK_SECRET || undefined;
    return {
      kind: "app",
      appId,
      privateKey: readPrivateKey(env),
      ...(webhookSecret ? { webhookSecret } : {}),
      baseUrl,
    };
  }
  if (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH) {
    throw new Error(
      "PRIVATE_KEY or PRIVATE_KEY_PATH is set but APP_ID is not; set APP_ID to the GitHub App's numeric id",
    );
  }
  const token = env.GITHUB_TOKEN?.trim();
  if (token) return { kind: "token", token, baseUrl };
  return undefined;
}

function readBaseUrl(value: string | undefined): string {
  if (!value) return DEFAULT_GITHUB_API_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `GITHUB_API_URL ${JSON.stringify(value)} is not a URL; use e.g. "https://api.github.com" or "https://ghe.example.com/api/v3"`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(
      `GITHUB_API_URL ${JSON.stringify(value)} must start with https:// (or http:// for a local test server)`,
    );
  }
  return value.replace(/\/+$/, "");
}

function readPrivateKey(env: Record<string, string | undefined>): string {
  if (env.PRIVATE_KEY) {
    // Hosting dashboards often store the PEM on one line with literal "\n".
    const key = env.PRIVATE_KEY.replace(/\\n/g, "\n");
    if (!PEM_BLOCK.test(key)) {
      throw new Error(
        "PRIVATE_KEY does not hold a PEM private key (-----BEGIN RSA PRIVATE KEY----- …); paste the whole .pem file the App's settings page generated, or set PRIVATE_KEY_PATH to its path",
      );
    }
    return key;
  }
  const path = env.PRIVATE_KEY_PATH;
  if (!path) {
    throw new Error(
      "APP_ID is set but neither PRIVATE_KEY nor PRIVATE_KEY_PATH is; generate a private key on the App's settings page and set one of them",
    );
  }
  let key: string;
  try {
    key = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(
      `PRIVATE_KEY_PATH ${JSON.stringify(path)} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}); point it at the App's .pem file`,
    );
  }
  if (!PEM_BLOCK.test(key)) {
    throw new Error(
      `PRIVATE_KEY_PATH ${JSON.stringify(path)} does not hold a PEM private key; point it at the .pem file the App's settings page generated`,
    );
  }
  return key;
}
