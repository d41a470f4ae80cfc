import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type BridgeApp, startBridgeApp } from "../../src/app/start-bridge-app.ts";
import { configSchema } from "../../src/config/config-schema.ts";
import { readGitHubCredentials } from "../../src/github/read-github-credentials.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import { commitListRoutes } from "../support/fake-hub/commit-list-routes.ts";
import { spaceRuntimeRoutes } from "../support/fake-hub/space-runtime-routes.ts";
import { type FakeHub, startFakeHub } from "../support/fake-hub/start-fake-hub.ts";
import { readFixture } from "../support/fixtures.ts";

const WEBHOOK_SECRET = "serve-composition-webhook-secret";
const HF_TOKEN = "hf_serve_composition_token";
const SPACE = "Wauplin/gradio-user-history";
const MODEL_SHA = "575db8b7a51b6f85eb06eee540738584589f131c";
const MODEL_OLD_SHA = "ce9a4674fa833a68d5a73ec355f0ea95eedd60b7";
const SPACE_OLD_SHA = "5e7f29fffcc579cb52539fddb14a1a4f85f39e44";
const SPACE_SHA = "d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4";
/**
 * The poller's real schedule looks 5 s after the push; the bound only matters on a loaded machine.
 * Nothing is asserted about how long it took.
 */
const SETTLE_TIMEOUT_MS = 30_000;

let app: BridgeApp | undefined;
let github: FakeGitHub;
let hub: FakeHub;
let store: Store;
let directory: string;

afterEach(async () => {
  await app?.close(1_000);
  app = undefined;
  await store.close();
  await hub.close();
  await github.close();
  github.expectNoViolations();
  rmSync(directory, { recursive: true, force: true });
});

/** `hf-bridge serve`'s composition root, in process, against the fake GitHub (App) and fake Hub. */
async function startServe(): Promise<void> {
  github = await startFakeGitHub({
    repos: [
      { owner: "acme", name: "app", commits: [MODEL_SHA] },
      { owner: "acme", name: "space-app", commits: [SPACE_OLD_SHA, SPACE_SHA] },
    ],
  });
  hub = await startFakeHub({ tokens: { [HF_TOKEN]: { id: "bridge-id", name: "bridge" } } });
  const runtimes = spaceRuntimeRoutes();
  runtimes.set(SPACE, "BUILD_ERROR", "Build failed with exit code: 1");
  for (const route of [...runtimes.routes, ...commitListRoutes().routes]) hub.addRoute(route);
  directory = mkdtempSync(join(tmpdir(), "serve-composition-"));
  store = await createSqliteStore({ path: join(directory, "bridge.db") });
  const privateKey = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  app = await startBridgeApp({
    config: configSchema.parse({
      routes: [
        { hub: "some-user/*", github: "acme/app", commits: "checks" },
        { hub: SPACE, github: "acme/space-app", commits: "checks" },
      ],
    }),
    store,
    environment: {
      webhookSecrets: [WEBHOOK_SECRET],
      github: readGitHubCredentials({
        APP_ID: "4242",
        PRIVATE_KEY: privateKey,
        GITHUB_API_URL: github.url,
      }),
      hfToken: HF_TOKEN,
      hubUrl: hub.url,
      endpointsApiUrl: hub.url,
      markerKey: "serve-composition-marker-key",
      metricsToken: undefined,
      pageDetails: "local",
      oauth: undefined,
      apiToken: undefined,
    },
    logger: createLogger({ level: "silent" }),
    port: 0,
    host: "127.0.0.1",
    worker: { pollIntervalMs: 20, backoff: { baseMs: 10, capMs: 50 } },
  });
}

async function sendHub(body: unknown): Promise<number> {
  const response = await fetch(`${app?.server.url}/webhooks/huggingface`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-webhook-secret": WEBHOOK_SECRET },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

function checkRun(sha: string) {
  return [...github.state.checkRuns.values()].find((run) => run.head_sha === sha);
}

describe("hf-bridge serve's composition root writes check runs and follows Space builds", () => {
  it("matches a model push by SHA and ends a Space's check run at BUILD_ERROR via its own poller", async () => {
    await startServe();
    expect(app?.mode).toBe("github");
    const model = readFixture("composed-repo.content-update-main-and-new-tag.json");
    expect(
      await sendHub({
        ...model,
        updatedRefs: [{ ref: "refs/heads/main", oldSha: MODEL_OLD_SHA, newSha: MODEL_SHA }],
      }),
    ).toBe(202);
    const space = readFixture("hfhub-repo.content-update-space-pr-ref.json");
    expect(
      await sendHub({
        ...space,
        repo: { ...(space.repo as Record<string, unknown>), headSha: SPACE_SHA },
        updatedRefs: [{ ref: "refs/heads/main", oldSha: SPACE_OLD_SHA, newSha: SPACE_SHA }],
      }),
    ).toBe(202);

    await vi.waitFor(
      () => {
        expect(checkRun(SPACE_SHA)?.status).toBe("completed");
      },
      { timeout: SETTLE_TIMEOUT_MS, interval: 50 },
    );
    expect(checkRun(MODEL_SHA)).toMatchObject({
      name: "Hugging Face Hub",
      status: "completed",
      conclusion: "success",
      output: { title: "Model some-user/some-repo received main @ 575db8b" },
    });
    const spaceRun = checkRun(SPACE_SHA);
    expect([spaceRun?.conclusion, spaceRun?.output.title]).toStrictEqual([
      "failure",
      `Space ${SPACE} failed at d4d4d4d: BUILD_ERROR`,
    ]);
    expect(spaceRun?.output.summary).toContain("Build failed with exit code: 1");
    // The runtime was read with the bridge's HF_TOKEN.
    expect(hub.requests).toContainEqual(
      expect.objectContaining({
        path: `/api/spaces/${SPACE}/runtime`,
        authenticated: true,
        status: 200,
      }),
    );
  });
});
