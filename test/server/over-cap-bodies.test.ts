import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BODY_LIMIT_BYTES } from "../../src/server/create-bridge-server.ts";
import { ENDPOINT_STATE_PATH } from "../../src/server/create-endpoint-state-handler.ts";
import { GITHUB_WEBHOOK_BODY_LIMIT_BYTES } from "../../src/server/create-github-webhook-handler.ts";
import { exchangeRaw, type RawExchange } from "./support/exchange-raw.ts";
import { startBridgeChild } from "./support/start-bridge-child.ts";
import { TEST_SECRET, useTestBridges, WEBHOOK_PATH } from "./support/start-test-bridge.ts";

// Found from outside: curl posting 2 MB (curl adds `Expect: 100-continue` above 1 MB) saw
// `100 Continue` and then a reset in 2 of 3 tries. Every try here must read the whole 413.
const TRIES = 20;
/** About twice the default cap, as in the report. */
const BODY = Buffer.alloc(2 * 1024 * 1024, " ");
/** Each try is a few MiB over loopback to a child process on a loaded machine. */
const TEST_TIMEOUT_MS = 120_000;

let child: ChildProcess | undefined;
let dir: string;
let target: { host: string; port: number };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bridge-over-cap-"));
  const started = await startBridgeChild(join(dir, "bridge.db"), TEST_SECRET);
  child = started.child;
  const url = new URL(started.url);
  target = { host: url.hostname, port: Number(url.port) };
});

afterAll(() => {
  if (child?.exitCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function requestHead(path: string, framing: string[]): string {
  return [
    `POST ${path} HTTP/1.1`,
    `Host: ${target.host}:${target.port}`,
    "Content-Type: application/json",
    `X-Webhook-Secret: ${TEST_SECRET}`,
    ...framing,
  ].join("\r\n");
}

function expectTooLarge(exchange: RawExchange): void {
  expect(exchange.status).toBe(413);
  expect(exchange.headers.connection).toBe("close");
  expect(JSON.parse(exchange.body)).toMatchObject({
    status: "too-large",
    reason: expect.stringContaining(`larger than ${DEFAULT_BODY_LIMIT_BYTES} bytes`),
  });
}

describe.each([
  ["the Hub webhook route", WEBHOOK_PATH],
  ["the endpoint state route", `${ENDPOINT_STATE_PATH}?namespace=acme`],
])("a body over the cap on %s, from a real server process", (_name, path) => {
  it(`answers 413 instead of 100 Continue to Expect: 100-continue with an over-cap Content-Length, ${TRIES} times`, {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const exchange = await exchangeRaw(target, {
        head: requestHead(path, [`Content-Length: ${BODY.length}`, "Expect: 100-continue"]),
        body: BODY,
        waitForContinue: true,
      });
      expect(exchange.interim).toEqual([]);
      expectTooLarge(exchange);
    }
  });

  it(`lets a client that keeps sending a chunked body read the 413 in full, ${TRIES} times`, {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    for (let attempt = 0; attempt < TRIES; attempt++) {
      expectTooLarge(
        await exchangeRaw(target, {
          head: requestHead(path, ["Transfer-Encoding: chunked"]),
          body: BODY,
          chunkBytes: 64 * 1024,
        }),
      );
    }
  });

  it(`sends 100 Continue and reads the body when the announced length fits`, {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const body = Buffer.from('{"not":"a hub payload"}');
    const exchange = await exchangeRaw(target, {
      head: requestHead(path, [`Content-Length: ${body.length}`, "Expect: 100-continue"]),
      body,
      waitForContinue: true,
    });
    expect(exchange.interim).toEqual([100]);
    expect(exchange.status).toBe(400);
  });
});

describe("Expect: 100-continue on the GitHub webhook route", () => {
  const start = useTestBridges();
  const signature = `X-Hub-Signature-256: sha256=${"0".repeat(64)}`;

  async function githubTarget(): Promise<{ host: string; port: number }> {
    const bridge = await start({
      githubWebhooks: { secret: "github-webhook-secret", markerKey: async () => "marker-key" },
    });
    const url = new URL(bridge.url);
    return { host: url.hostname, port: Number(url.port) };
  }

  function githubHead(on: { host: string; port: number }, framing: string[]): string {
    return [
      "POST /api/github/webhooks HTTP/1.1",
      `Host: ${on.host}:${on.port}`,
      "Content-Type: application/json",
      "X-GitHub-Event: issue_comment",
      "X-GitHub-Delivery: 72d3162e-cc78-11e3-81ab-4c9367dc0958",
      signature,
      ...framing,
    ].join("\r\n");
  }

  it("answers 413 instead of 100 Continue when the announced body is over its cap", async () => {
    const on = await githubTarget();
    const exchange = await exchangeRaw(on, {
      head: githubHead(on, [
        `Content-Length: ${GITHUB_WEBHOOK_BODY_LIMIT_BYTES + 1}`,
        "Expect: 100-continue",
      ]),
      body: Buffer.alloc(GITHUB_WEBHOOK_BODY_LIMIT_BYTES + 1, " "),
      waitForContinue: true,
    });
    expect(exchange.interim).toEqual([]);
    expect(exchange.status).toBe(413);
    expect(exchange.headers.connection).toBe("close");
  });

  it("sends 100 Continue for a body that fits, then checks its signature", async () => {
    const on = await githubTarget();
    const body = Buffer.from('{"zen":"Keep it logically awesome."}');
    const exchange = await exchangeRaw(on, {
      head: githubHead(on, [`Content-Length: ${body.length}`, "Expect: 100-continue"]),
      body,
      waitForContinue: true,
    });
    expect(exchange.interim).toEqual([100]);
    expect(exchange.status).toBe(401);
  });
});
