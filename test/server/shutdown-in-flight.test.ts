import { generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SHUTDOWN_GRACE_MS } from "../../src/cli/commands/serve.ts";
import { eventually, type ServeProcess, startServe } from "../cli/support/run-cli.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import { pushed } from "./support/hub-payloads.ts";
import { postWebhook } from "./support/post-webhook.ts";
import { readJobs } from "./support/read-jobs.ts";
import { TEST_SECRET, WEBHOOK_PATH } from "./support/start-test-bridge.ts";

const CONFIG = `routes:
  - hub: some-user/*
    github: acme/widgets
    dispatch:
      - refs: [refs/heads/*]
`;
const PUSHES = 5;
const REFS_PER_PUSH = 4;
/** Process start-up and exit around the grace, on a loaded machine. */
const EXIT_SLACK_MS = 2_000;
/** 100 ms apart: a minute for the dozen dispatches left at one write a second. */
const DRAIN_POLLS = 600;

let dir: string;
let github: FakeGitHub;
const serving: ServeProcess[] = [];
afterEach(async () => {
  for (const serve of serving.splice(0)) {
    if (serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill("SIGKILL");
    }
  }
  await github?.close();
  await rm(dir, { recursive: true, force: true });
});

function dispatchedRefs(): string[] {
  return (github.state.repos.get("acme/widgets")?.dispatches ?? []).map((dispatch) =>
    String((dispatch.client_payload?.hf as { ref?: string } | undefined)?.ref),
  );
}

describe("hf-bridge serve on SIGTERM with jobs in flight", { timeout: 120_000 }, () => {
  it("answers 503, sends nothing after its grace, exits within it, and doubles nothing after a restart", async () => {
    dir = await mkdtemp(join(tmpdir(), "shutdown-in-flight-"));
    await writeFile(join(dir, "hf-bridge.yml"), CONFIG);
    github = await startFakeGitHub({ repos: [{ owner: "acme", name: "widgets" }] });
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const dbPath = join(dir, "bridge.db");
    const serve = () =>
      startServe(["--port", "0", "--host", "127.0.0.1", "--store", dbPath], {
        cwd: dir,
        env: {
          APP_ID: "4242",
          PRIVATE_KEY: privateKey,
          GITHUB_API_URL: github.url,
          HF_WEBHOOK_SECRET: TEST_SECRET,
        },
      }).then((started) => {
        serving.push(started);
        return started;
      });

    const first = await serve();
    const webhookUrl = `${first.landing.replace(/\/$/, "")}${WEBHOOK_PATH}`;
    const allRefs: string[] = [];
    for (let push = 0; push < PUSHES; push++) {
      const refs = Array.from({ length: REFS_PER_PUSH }, (_, i) => `refs/heads/p${push}-${i}`);
      allRefs.push(...refs);
      expect((await postWebhook(webhookUrl, JSON.stringify(pushed(refs, push)))).status).toBe(202);
    }
    // One write a second per installation: the jobs are now mid-way, most dispatches still queued.
    await eventually(
      async () => (dispatchedRefs().length >= 2 ? true : undefined),
      "the first dispatches",
    );

    const exited = once(first.child, "exit");
    const signalledAt = Date.now();
    first.child.kill("SIGTERM");
    await first.waitForOutput("SIGTERM: shutting down");
    const during = await postWebhook(webhookUrl, JSON.stringify(pushed(["refs/heads/late"], 99)));
    expect(during.status).toBe(503);
    expect(Number(during.headers["retry-after"])).toBeGreaterThan(0);
    const [code] = (await exited) as [number | null];
    const exitedAt = Date.now();

    // 0, not the watchdog's 1: the shutdown finished inside its grace.
    expect(code).toBe(0);
    expect(exitedAt - signalledAt).toBeLessThan(SHUTDOWN_GRACE_MS + EXIT_SLACK_MS);
    const afterGrace = github.requests.filter(
      (request) => request.time.getTime() > signalledAt + SHUTDOWN_GRACE_MS,
    );
    expect(afterGrace).toEqual([]);
    const sentBeforeRestart = dispatchedRefs();
    expect(sentBeforeRestart.length).toBeLessThan(allRefs.length);

    await serve();
    // The rest go out one a second after the restart.
    for (let poll = 0; ; poll++) {
      const jobs = readJobs(dbPath);
      if (jobs.length === PUSHES && jobs.every((job) => job.state === "done")) break;
      if (poll > DRAIN_POLLS) throw new Error(`jobs not done: ${JSON.stringify(jobs)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(dispatchedRefs().sort()).toStrictEqual([...allRefs].sort());
    github.expectNoViolations();
  });
});
