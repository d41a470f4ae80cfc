import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CHILD_PROCESS_TEST_TIMEOUT_MS, eventually } from "../cli/support/run-cli.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import { pushed } from "./support/hub-payloads.ts";
import { type JobRow, readJobs } from "./support/read-jobs.ts";
import {
  type GitHubBridgeChild,
  type GitHubBridgeChildOptions,
  startGitHubBridgeChild,
} from "./support/start-github-bridge-child.ts";

const DISPATCH_CONFIG = {
  routes: [{ hub: "some-user/*", github: "acme/widgets", dispatch: [{ refs: ["refs/heads/*"] }] }],
};

let github: FakeGitHub;
let bridge: GitHubBridgeChild | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await bridge?.kill();
  bridge = undefined;
  await github?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(options: Omit<GitHubBridgeChildOptions, "dbPath" | "config" | "graceMs">) {
  github = await startFakeGitHub({ repos: [{ owner: "acme", name: "widgets" }] });
  const dir = mkdtempSync(join(tmpdir(), "fan-out-"));
  dirs.push(dir);
  const dbPath = join(dir, "bridge.db");
  bridge = await startGitHubBridgeChild(github.url, {
    dbPath,
    config: DISPATCH_CONFIG,
    graceMs: 1_000,
    ...options,
  });
  return { bridge, dbPath };
}

function dispatches(): Array<{ ref: string; dispatchId: unknown }> {
  return (github.state.repos.get("acme/widgets")?.dispatches ?? []).map((dispatch) => ({
    ref: String((dispatch.client_payload?.hf as { ref?: string } | undefined)?.ref),
    dispatchId: dispatch.client_payload?.dispatchId,
  }));
}

function finishedJob(dbPath: string): Promise<JobRow> {
  return eventually(async () => {
    const [job] = readJobs(dbPath);
    return job?.state === "done" || job?.state === "dead" ? job : undefined;
  }, "the push's job to finish");
}

const branches = (count: number) => Array.from({ length: count }, (_, i) => `refs/heads/b-${i}`);

describe("one delivery's writes are bounded", { timeout: CHILD_PROCESS_TEST_TIMEOUT_MS }, () => {
  it("sends the first 100 dispatches of a push naming 2,001 refs and says what it refused", async () => {
    const { bridge, dbPath } = await start({
      worker: { pollIntervalMs: 50 },
      github: { writeLimits: { msBetweenWrites: 0 } },
    });
    const refs = branches(2001);
    expect((await bridge.post(pushed(refs))).status).toBe(202);

    const job = await eventually(async () => {
      const [row] = readJobs(dbPath);
      // Past the cap is a failure already, without waiting for thousands of dispatches.
      return row?.state === "done" || dispatches().length > 100 ? row : undefined;
    }, "the push's job to finish");
    expect(dispatches().length).toBe(100);
    expect(job?.state).toBe("done");
    expect(job?.outcome?.summary).toBe(
      "100 effects: 100 accepted; 1901 of 2001 updated refs refused: one push is planned for at most 100 refs, the first ones in the payload",
    );
    expect(dispatches().map((dispatch) => dispatch.ref)).toStrictEqual(refs.slice(0, 100));
    github.expectNoViolations();
  });

  it("renews the lease of a job that runs longer than it, so no one takes it over", async () => {
    const { bridge, dbPath } = await start({
      // Four slots polling every 50 ms: any of them would take over a job whose lease ran out.
      worker: { leaseMs: 1_000, pollIntervalMs: 50, concurrency: 4 },
      // Five dispatches 600 ms apart: the job takes about three leases.
      github: { writeLimits: { msBetweenWrites: 600 } },
    });
    const refs = branches(5);
    expect((await bridge.post(pushed(refs))).status).toBe(202);

    const job = await finishedJob(dbPath);
    expect(job).toMatchObject({ state: "done", attempts: 1 });
    expect(dispatches().map((dispatch) => dispatch.ref)).toStrictEqual(refs);
    const sent = github.requests.filter((r) => r.operationId === "repos/create-dispatch-event");
    const took = (sent.at(-1)?.time.getTime() ?? 0) - (sent[0]?.time.getTime() ?? 0);
    // The job really outlived its lease (the spacing guarantees it), and still ran once.
    expect(took).toBeGreaterThan(1_000);
  });

  it("counts accepted dispatches against the thread's write budget", async () => {
    const { bridge, dbPath } = await start({
      worker: { pollIntervalMs: 50 },
      github: { writeLimits: { msBetweenWrites: 0 }, writesPerHour: 3 },
    });
    expect((await bridge.post(pushed(branches(5)))).status).toBe(202);

    const job = await finishedJob(dbPath);
    expect(job.state).toBe("dead");
    expect(job.lastError).toMatch(
      /write budget spent: acme\/widgets:content.updated received 3 GitHub writes in the last hour \(at most 3\)/,
    );
    expect(dispatches()).toHaveLength(3);
  });
});
