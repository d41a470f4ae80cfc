import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cliEnv } from "../cli/support/run-cli.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import type { Fault } from "../support/fake-github/types.ts";
import {
  generateAppPrivateKey,
  hubDiscussionDelivery,
} from "../support/hub-discussion-delivery.ts";
import { REPO_ROOT } from "../support/paths.ts";

const CHILD_SCRIPT = join(REPO_ROOT, "test/app/serve-on-fast-clock-child.ts");
const HUB_SECRET = "rate-limit-storm-hub-secret";
const HUB_REPO = "some-user/widgets-model";
const CONFIG = { routes: [{ hub: HUB_REPO, github: "acme/widgets", discussions: true }] };
/** The bridge's clock runs this much faster: a minute of its time is a second of the test's. */
const SCALE = 60;
const STORM_MS = (10 * 60_000) / SCALE;
/** The issue's bound for a ten-minute storm, for one installation. */
const MAX_REQUESTS_IN_STORM = 15;
const DELIVERIES = 5;
/** The issue's bound on acks during the storm: they never wait for GitHub. */
const ACK_BOUND_MS = 1_000;
/** After the storm the lane waits out its last (grown) pause, then drains; generous for a loaded machine. */
const DRAIN_LIMIT_MS = 90_000;
const TEST_TIMEOUT_MS = 180_000;
/** Every request made with the installation's token: all of acme/widgets but the App's installation look-up. */
type RateLimitFault = Extract<Fault, { kind: "rateLimit" }>;
const INSTALLATION_REQUEST = /^\/repos\/acme\/widgets\/(?!installation$)/;

let dir: string;
let github: FakeGitHub;
let child: ChildProcess | undefined;
const privateKey = generateAppPrivateKey();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hf-bridge-rate-limit-storm-"));
  github = await startFakeGitHub({ repos: [{ owner: "acme", name: "widgets" }] });
});

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  }
  child = undefined;
  await github.close();
  github.expectNoViolations();
  await rm(dir, { recursive: true, force: true });
});

/** The serve composition root in its own process, on a clock SCALE times faster. */
async function startFastBridge(): Promise<string> {
  const started = spawn(
    process.execPath,
    [CHILD_SCRIPT, join(dir, "bridge.db"), String(SCALE), JSON.stringify(CONFIG)],
    {
      env: cliEnv({
        APP_ID: "4242",
        PRIVATE_KEY: privateKey,
        GITHUB_API_URL: github.url,
        HF_WEBHOOK_SECRET: HUB_SECRET,
      }),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child = started;
  let stderr = "";
  started.stderr?.on("data", (piece: Buffer) => {
    stderr += piece.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: started.stdout as NonNullable<ChildProcess["stdout"]> }).once(
      "line",
      (line) => resolve((JSON.parse(line) as { url: string }).url),
    );
    started.once("exit", (code) => reject(new Error(`bridge exited with ${code}: ${stderr}`)));
  });
  // The set-up checks talk to GitHub first; the storm is about the jobs' requests.
  await vi.waitFor(
    async () => {
      expect(await (await fetch(url)).text()).toContain('<p id="setup">Set-up checked');
    },
    { timeout: DRAIN_LIMIT_MS, interval: 50 },
  );
  return url;
}

async function timedPost(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/webhooks/huggingface`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-webhook-secret": HUB_SECRET },
    body: hubDiscussionDelivery(HUB_REPO),
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

/**
 * Runs a storm of `fault` on every installation request for ten minutes of the bridge's clock while
 * deliveries keep arriving; returns the requests that reached GitHub during it and the acks.
 */
async function storm(url: string, limit: Pick<RateLimitFault, "status" | "headers">) {
  const first = github.requests.length;
  const disarm = github.inject({
    kind: "rateLimit",
    ...limit,
    match: { path: INSTALLATION_REQUEST },
    times: Number.POSITIVE_INFINITY,
  });
  const stormStart = performance.now();
  const acks: Array<{ status: number; ms: number }> = [];
  for (let index = 0; index < DELIVERIES; index++) {
    const due = stormStart + (index * STORM_MS) / DELIVERIES;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    acks.push(await timedPost(url));
  }
  await new Promise((resolve) =>
    setTimeout(resolve, Math.max(0, stormStart + STORM_MS - performance.now())),
  );
  disarm();
  const during = github.requests
    .slice(first)
    .filter((request) => INSTALLATION_REQUEST.test(request.path));
  return { during, acks };
}

async function expectDrained(url: string): Promise<void> {
  await vi.waitFor(
    async () => {
      expect(github.state.repos.get("acme/widgets")?.issues.size).toBe(DELIVERIES);
      expect(await (await fetch(url)).text()).toContain(
        '<p id="queue">0 queued; 0 running; 0 dead.</p>',
      );
    },
    { timeout: DRAIN_LIMIT_MS, interval: 100 },
  );
  expect(github.state.repos.get("acme/widgets")?.issues.size).toBe(DELIVERIES);
}

function gapsBetween(requests: Array<{ time: Date }>): number[] {
  const times = requests.map((request) => request.time.getTime());
  return times.slice(1).map((time, index) => time - (times[index] ?? time));
}

describe("a rate-limit storm", { timeout: TEST_TIMEOUT_MS }, () => {
  it("draws at most 15 requests in ten minutes of 429 with retry-after: 1, acks stay fast, and the queue drains after", async () => {
    const url = await startFastBridge();
    const { during, acks } = await storm(url, { status: 429, headers: { "retry-after": "1" } });
    console.info(
      `429 storm: ${during.length} requests reached GitHub in ten minutes (bridge clock); acks ${acks.map((ack) => Math.round(ack.ms)).join(", ")} ms`,
    );
    expect(acks.map((ack) => ack.status)).toEqual(Array(DELIVERIES).fill(202));
    for (const ack of acks) expect(ack.ms).toBeLessThan(ACK_BOUND_MS);
    expect(during.length).toBeGreaterThan(1);
    expect(during.length).toBeLessThanOrEqual(MAX_REQUESTS_IN_STORM);
    expect(during.every((request) => request.status === 429)).toBe(true);
    await expectDrained(url);
  });

  it("waits 60 s after a 403 secondary limit without headers, then longer each time", async () => {
    const url = await startFastBridge();
    const { during, acks } = await storm(url, { status: 403 });
    const gaps = gapsBetween(during).map((gap) => Math.round((gap * SCALE) / 1000));
    console.info(
      `403 storm: ${during.length} requests, ${gaps.join(" s, ")} s apart (bridge clock)`,
    );
    expect(acks.map((ack) => ack.status)).toEqual(Array(DELIVERIES).fill(202));
    // 60 s, 120 s, 240 s, …: ten minutes hold four or five such waits, where a fixed minute holds ten.
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(during.length).toBeLessThanOrEqual(6);
    const [first = 0, second = 0] = gapsBetween(during);
    expect(first * SCALE).toBeGreaterThanOrEqual(60_000);
    expect(second).toBeGreaterThan(first * 1.5);
    await expectDrained(url);
  });
});
