// Three bridge processes on one PostgreSQL schema, behind a round-robin proxy, mirror 300 Hub
// comments (in 10 discussions) and send 60 dispatches through one GitHub App installation. GitHub's
// write limits are the fleet's, not each process's: the fake GitHub sees at most one write in
// flight, ≥ 1 s between writes, ≥ 3 s between creations and ≤ 80 creations in any minute. One
// replica is SIGKILLed halfway; every object still exists exactly once. The processes and the fake
// share a clock running SCALE times faster than the wall clock, so the real limits pass in seconds.
import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, expect, it } from "vitest";
import { createStore } from "../../src/store/create-store.ts";
import { readLinkMarker } from "../../src/text/link-marker.ts";
import { cliEnv } from "../cli/support/run-cli.ts";
import { describeOnPostgres } from "../support/describe-on-postgres.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import type { RequestLogEntry } from "../support/fake-github/types.ts";
import { REPO_ROOT } from "../support/paths.ts";

const CHILD = join(REPO_ROOT, "test/server/support/fast-replica-child.ts");
const SCALE = 25;
const WEBHOOK_SECRET = "replica-limits-hub-secret";
const MARKER_KEY = "replica-limits-marker-key";
const METRICS_TOKEN = "replica-limits-metrics-token";
const DISCUSSIONS = 10;
const COMMENTS_PER_DISCUSSION = 30;
const PUSHES = 60;
/** GitHub's secondary limits (docs/github-limits.md), as the fake checks them on its clock. */
const MS_BETWEEN_WRITES = 1_000;
const MS_BETWEEN_CREATIONS = 3_000;
const CREATIONS_PER_MINUTE = 80;
/** A minute of the fast clock: a SIGKILLed replica's jobs are taken over within 2.4 s. */
const LEASE_MS = 60_000;
/**
 * 370 writes at ≥ 3 s per creation are ~16 minutes of GitHub time, 40 s at SCALE; the rest is for
 * starts, the takeover and a loaded two-core machine.
 */
const TEST_TIMEOUT_MS = 240_000;
const DRAIN_LIMIT_MS = 180_000;
const HUB_REPO = {
  type: "model",
  name: "replica-org/model",
  id: "66c4a05e0000000000000d4a",
  private: false,
  url: { web: "https://huggingface.co/replica-org/model" },
};
const WEBHOOK = { id: "66c4a05e00000000000000fe", version: 3 };

interface Replica {
  child: ChildProcess;
  url: string;
}

function fastNow(epoch: number): number {
  return epoch + (Date.now() - epoch) * SCALE;
}

function discussionOf(num: number) {
  return {
    id: `66c4a05e${String(num).padStart(16, "0")}`,
    num,
    title: `Replica discussion ${num}`,
    url: { web: `${HUB_REPO.url.web}/discussions/${num}` },
    status: "open",
    author: { id: "66c4a05e00000000000a0001" },
    isPullRequest: false,
  };
}

/** The Hub deliveries, in sending order: the discussions, then comments interleaved with pushes. */
function deliveries(): string[] {
  const opens = Array.from({ length: DISCUSSIONS }, (_, index) => ({
    event: { action: "create", scope: "discussion" },
    repo: HUB_REPO,
    discussion: discussionOf(index + 1),
    webhook: WEBHOOK,
  }));
  const rest: object[] = [];
  let oldSha = "0".repeat(40);
  for (let n = 0; n < DISCUSSIONS * COMMENTS_PER_DISCUSSION; n++) {
    const num = (n % DISCUSSIONS) + 1;
    const id = `66c4a05e${n.toString(16).padStart(16, "0")}`;
    rest.push({
      event: { action: "create", scope: "discussion.comment" },
      repo: HUB_REPO,
      discussion: discussionOf(num),
      comment: {
        id,
        author: { id: "66c4a05e00000000000a0002" },
        content: `Comment ${n} on discussion ${num}`,
        hidden: false,
        url: { web: `${HUB_REPO.url.web}/discussions/${num}#${id}` },
      },
      webhook: WEBHOOK,
    });
    if (n % 5 === 4) {
      const newSha = `c${(n + 1).toString(16).padStart(39, "0")}`;
      rest.push({
        event: { action: "update", scope: "repo.content" },
        repo: { ...HUB_REPO, headSha: newSha },
        updatedRefs: [{ ref: "refs/heads/main", oldSha, newSha }],
        webhook: WEBHOOK,
      });
      oldSha = newSha;
    }
  }
  return [...opens, ...rest].map((payload) => JSON.stringify(payload));
}

async function startReplica(argument: string, env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, [CHILD, argument], {
    env: cliEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const errors: string[] = [];
  createInterface({ input: child.stderr as NonNullable<ChildProcess["stderr"]> }).on(
    "line",
    (line) => errors.push(line),
  );
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NonNullable<ChildProcess["stdout"]> }).once(
      "line",
      (line) => resolve((JSON.parse(line) as { url: string }).url),
    );
    child.once("exit", (code) =>
      reject(new Error(`a replica exited (${code}) before listening:\n${errors.join("\n")}`)),
    );
  });
  return { child, url };
}

/** Round robin over the replicas that are up; a refused connection goes to the next one. */
async function startRoundRobin(replicas: Replica[]): Promise<{ url: string; server: Server }> {
  let next = 0;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const attempt = (left: number) => {
        const target = new URL(replicas[next++ % replicas.length]?.url ?? "");
        const forwarded = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: incoming.method,
            path: incoming.url,
            headers: incoming.headers,
          },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forwarded.on("error", () => {
          if (left > 0) attempt(left - 1);
          else if (!outgoing.headersSent) outgoing.writeHead(502).end();
          else outgoing.destroy();
        });
        forwarded.end(body);
      };
      attempt(replicas.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no proxy port");
  return { url: `http://127.0.0.1:${address.port}`, server };
}

/** Posts until acknowledged, as the Hub retries a non-2xx answer. */
async function send(url: string, body: string): Promise<void> {
  for (;;) {
    const answer = await fetch(`${url}/webhooks/huggingface`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": WEBHOOK_SECRET },
      body,
    }).catch(() => undefined);
    if (answer?.status === 202 || answer?.status === 200) return;
    await sleep(20);
  }
}

async function queueIsEmpty(replica: Replica): Promise<boolean> {
  const response = await fetch(`${replica.url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  }).catch(() => undefined);
  const text = (await response?.text()) ?? "";
  const count = (state: string) =>
    Number(new RegExp(`^hf_bridge_jobs\\{state="${state}"\\} (\\d+)`, "m").exec(text)?.[1] ?? NaN);
  return count("queued") === 0 && count("running") === 0;
}

function isCreation(entry: RequestLogEntry): boolean {
  return entry.method === "POST" && /\/issues(\/\d+\/comments)?$/.test(entry.path);
}

await describeOnPostgres("replicas sharing GitHub's write limits", ({ url, schema }) => {
  const replicas: Replica[] = [];
  let github: FakeGitHub | undefined;
  let proxy: Server | undefined;

  afterAll(async () => {
    for (const replica of replicas) replica.child.kill("SIGKILL");
    proxy?.close();
    await github?.close();
  });

  it(
    "writes at GitHub's pace fleet-wide, each object once, through a SIGKILL of one replica",
    async () => {
      const epoch = Date.now();
      github = await startFakeGitHub({
        repos: [{ owner: "acme", name: "widgets" }],
        now: () => new Date(fastNow(epoch)),
      });
      const { privateKey } = generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
      const storeUrl = new URL(url);
      storeUrl.searchParams.set("schema", schema);
      const argument = JSON.stringify({
        storeUrl: storeUrl.toString(),
        config: {
          routes: [
            { hub: "replica-org/*", github: "acme/widgets", discussions: true, dispatch: [{}] },
          ],
        },
        epoch,
        scale: SCALE,
        leaseMs: LEASE_MS,
      });
      const env = {
        APP_ID: "4242",
        PRIVATE_KEY: privateKey,
        GITHUB_API_URL: github.url,
        HF_WEBHOOK_SECRET: WEBHOOK_SECRET,
        HF_BRIDGE_MARKER_KEY: MARKER_KEY,
        HF_BRIDGE_METRICS_TOKEN: METRICS_TOKEN,
      };
      // The first one migrates the schema; the others then start on it together.
      replicas.push(await startReplica(argument, env));
      replicas.push(...(await Promise.all([1, 2].map(() => startReplica(argument, env)))));
      const rotation = [...replicas];
      const front = await startRoundRobin(rotation);
      proxy = front.server;

      const bodies = deliveries();
      const half = Math.floor(bodies.length / 2);
      for (const body of bodies.slice(0, half)) await send(front.url, body);
      const victim = replicas[1] as Replica;
      victim.child.kill("SIGKILL");
      rotation.splice(rotation.indexOf(victim), 1);
      for (const body of bodies.slice(half)) await send(front.url, body);

      const survivors = replicas.filter((replica) => replica !== victim);
      const deadline = Date.now() + DRAIN_LIMIT_MS;
      let idle = 0;
      while (idle < 2 && Date.now() < deadline) {
        await sleep(500);
        idle = (await queueIsEmpty(survivors[0] as Replica)) ? idle + 1 : 0;
      }
      expect(idle, "the queue drained").toBe(2);
      const inspection = await createStore(storeUrl.toString());
      const dead = await inspection
        .listDeadLetters({ limit: 10 })
        .finally(() => inspection.close());
      expect(
        dead.map((letter) => `job ${letter.jobId} (${letter.event.kind}): ${letter.lastError}`),
      ).toEqual([]);

      const writes = github.requests
        .filter((entry) => entry.method !== "GET" && entry.path.startsWith("/repos/"))
        .sort((a, b) => a.time.getTime() - b.time.getTime());
      const creations = writes.filter(isCreation);
      const gaps = writes.slice(1).map((entry, index) => {
        const before = writes[index] as RequestLogEntry;
        return entry.time.getTime() - (before.answeredAt ?? before.time).getTime();
      });
      const creationGaps = creations.slice(1).map((entry, index) => {
        const before = creations[index] as RequestLogEntry;
        return entry.time.getTime() - (before.answeredAt ?? before.time).getTime();
      });
      let busiestMinute = 0;
      for (const [index, entry] of creations.entries()) {
        const end = entry.time.getTime() + 60_000;
        const within = creations.slice(index).filter((later) => later.time.getTime() < end);
        busiestMinute = Math.max(busiestMinute, within.length);
      }
      console.log(
        `3 replicas (one SIGKILLed after ${half} of ${bodies.length} deliveries): ${writes.length} GitHub writes, ${creations.length} creations in ${Math.round((Date.now() - epoch) / 1000)} s; GitHub clock: smallest gap ${Math.min(...gaps)} ms between writes, ${Math.min(...creationGaps)} ms between creations, ${busiestMinute} creations in the busiest minute`,
      );
      // Each write was answered before the next one reached GitHub: one in flight fleet-wide.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MS_BETWEEN_WRITES);
      expect(Math.min(...creationGaps)).toBeGreaterThanOrEqual(MS_BETWEEN_CREATIONS);
      expect(busiestMinute).toBeLessThanOrEqual(CREATIONS_PER_MINUTE);

      const repo = github.state.repos.get("acme/widgets");
      const issueMarkers = [...(repo?.issues.values() ?? [])].map((issue) =>
        readLinkMarker(issue.body ?? "", MARKER_KEY),
      );
      expect(issueMarkers).toHaveLength(DISCUSSIONS);
      expect(new Set(issueMarkers).size).toBe(DISCUSSIONS);
      const commentMarkers = [...github.state.comments.values()].map((comment) =>
        readLinkMarker(comment.body, MARKER_KEY),
      );
      expect(commentMarkers).toHaveLength(DISCUSSIONS * COMMENTS_PER_DISCUSSION);
      expect(new Set(commentMarkers).size).toBe(DISCUSSIONS * COMMENTS_PER_DISCUSSION);
      // A dispatch leaves nothing to look up: one in flight at the kill may be sent again, with
      // the same dispatchId for the workflow to drop (create-once.ts).
      const dispatchIds = (repo?.dispatches ?? []).map((dispatch) => {
        const payload = dispatch.client_payload as {
          dispatchId?: string;
          hf?: { dispatchId?: string };
        };
        return payload.dispatchId ?? payload.hf?.dispatchId;
      });
      expect(new Set(dispatchIds).size).toBe(PUSHES);
      expect(dispatchIds.length).toBeLessThanOrEqual(PUSHES + 1);
      github.expectNoViolations();

      // Every survivor shows the shared lane with the fleet's creations, on /metrics and on its page.
      const survivor = survivors[0] as Replica;
      const metrics = await fetch(`${survivor.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      }).then((response) => response.text());
      // The schedule counts each creation it let start, those that then found their object
      // created by another replica (and sent nothing) too.
      const counted = Number(
        /^hf_bridge_github_lane_creations_last_hour\{lane="installation:\d+"\} (\d+)$/m.exec(
          metrics,
        )?.[1],
      );
      expect(counted).toBeGreaterThanOrEqual(creations.length);
      expect(counted).toBeLessThan(500);
      expect(metrics).toMatch(/^hf_bridge_github_lane_busy\{lane="installation:\d+"\} 0$/m);
      const page = await fetch(survivor.url).then((response) => response.text());
      expect(page).toContain('<table id="write-lanes">');
      expect(page).toContain(`<td>idle</td><td>${counted} of 500</td>`);
    },
    TEST_TIMEOUT_MS,
  );
});
