import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ServeProcess, startServe } from "../cli/support/run-cli.ts";
import { hubDiscussionDelivery } from "../support/hub-discussion-delivery.ts";
import { postgresAvailable } from "../support/postgres.ts";
import { startTcpProxy, type TcpProxy } from "../support/start-tcp-proxy.ts";

const probe = await postgresAvailable();

const HUB_SECRET = "store-fails-fast-hub-secret";
const HUB_REPO = "some-user/widgets-model";
const CONFIG = `routes:
  - hub: ${HUB_REPO}
    github: acme/widgets
    discussions: true
`;
/**
 * The bridge promises an answer (503 at worst) within 2 s when its store is slow, half-open, locked
 * or gone; asserted generously, since this machine is shared and loaded. A fail-fast property, not
 * a speed target.
 */
const ANSWER_BOUND_MS = 3_000;
/** Far past the bound: an ack still unanswered by then is hung, and the test says so. */
const HUNG_AFTER_MS = 20_000;
/** Deliveries sent while the store is down, a little apart, so later ones queue behind earlier ones. */
const DELIVERIES_WHILE_DOWN = 4;
const STAGGER_MS = 300;
const RECOVERY_ATTEMPTS = 20;
const RECOVERY_PAUSE_MS = 250;
const TEST_TIMEOUT_MS = 120_000;

let dir: string;
let serving: ServeProcess | undefined;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hf-bridge-store-fails-fast-"));
  await writeFile(join(dir, "hf-bridge.yml"), CONFIG);
});

afterEach(async () => {
  await serving?.stop();
  serving = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

function serve(store: string): Promise<ServeProcess> {
  return startServe(["--port", "0", "--store", store], {
    cwd: dir,
    env: { HF_WEBHOOK_SECRET: HUB_SECRET },
  });
}

interface Answer {
  status: number | "no answer";
  ms: number;
  /** Why there was no answer: the fetch error and its cause (a reset, a timeout). */
  failure?: string;
}

/** Posts a new discussion and times the answer; a request still open after HUNG_AFTER_MS is hung. */
async function timedPost(bridge: ServeProcess): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(`${bridge.landing}webhooks/huggingface`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": HUB_SECRET },
      body: hubDiscussionDelivery(HUB_REPO),
      signal: AbortSignal.timeout(HUNG_AFTER_MS),
    });
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    return {
      status: "no answer",
      ms: performance.now() - started,
      failure: `${String(error)}${cause === undefined ? "" : ` (cause: ${String(cause)})`}`,
    };
  }
}

/** DELIVERIES_WHILE_DOWN posts, STAGGER_MS apart and all in flight together. */
async function staggeredPosts(bridge: ServeProcess): Promise<Answer[]> {
  const answers: Array<Promise<Answer>> = [];
  for (let index = 0; index < DELIVERIES_WHILE_DOWN; index++) {
    answers.push(timedPost(bridge));
    await new Promise((resolve) => setTimeout(resolve, STAGGER_MS));
  }
  return Promise.all(answers);
}

/** A wrong answer names the process's state and what it printed, so a crash shows its cause. */
function expectFastRefusals(answers: Answer[], bridge?: ServeProcess): void {
  for (const answer of answers) {
    const context = [
      `answered after ${Math.round(answer.ms)} ms`,
      ...(answer.failure === undefined ? [] : [answer.failure]),
      ...(bridge === undefined
        ? []
        : [`serve exit code ${bridge.child.exitCode}, its stderr:\n${bridge.stderr()}`]),
    ].join("; ");
    expect(answer.status, context).toBe(503);
    expect(answer.ms, context).toBeLessThan(ANSWER_BOUND_MS);
  }
}

/** The same process takes deliveries again once its store is back: no restart needed. */
async function expectRecovery(bridge: ServeProcess): Promise<void> {
  const statuses: Answer["status"][] = [];
  for (let attempt = 0; attempt < RECOVERY_ATTEMPTS; attempt++) {
    const { status } = await timedPost(bridge);
    statuses.push(status);
    if (status === 202) break;
    await new Promise((resolve) => setTimeout(resolve, RECOVERY_PAUSE_MS));
  }
  expect(statuses.at(-1), `answers after the store came back: ${statuses.join(", ")}`).toBe(202);
  expect(bridge.child.exitCode).toBeNull();
}

/** Longer than any write the bridge itself holds, on a loaded machine. */
const OTHER_CONNECTION_WAIT_MS = 10_000;

describe("a SQLite store locked by another connection", { timeout: TEST_TIMEOUT_MS }, () => {
  it("answers each ack 503 within the bound, however many queue, and takes deliveries again after", async () => {
    const dbPath = join(dir, "bridge.db");
    serving = await serve(dbPath);
    expect((await timedPost(serving)).status).toBe(202);

    // The bridge writes too (its worker claims, the pruner runs at start): the test's connection waits
    // for its turn at the lock rather than failing on the bridge's own short write.
    const other = new DatabaseSync(dbPath, { timeout: OTHER_CONNECTION_WAIT_MS });
    other.exec("BEGIN IMMEDIATE");
    let answers: Answer[];
    try {
      answers = await staggeredPosts(serving);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expectFastRefusals(answers, serving);
    await expectRecovery(serving);
  });
});

if (!probe.reachable) {
  describe("a PostgreSQL store that fails", () => {
    it("needs a reachable PostgreSQL", (context) => {
      if (probe.required) throw new Error(`${probe.problem}; HF_BRIDGE_REQUIRE_POSTGRES=1`);
      context.skip(probe.problem);
    });
  });
} else {
  describe("a PostgreSQL store that fails", { timeout: TEST_TIMEOUT_MS }, () => {
    /** A fresh schema and a name the test finds the bridge's sessions by; dropped after the test. */
    function storeUrl(port?: number): { url: string; schema: string; application: string } {
      const schema = `hfb_test_${randomBytes(6).toString("hex")}`;
      const application = `hfb-fails-fast-${randomBytes(4).toString("hex")}`;
      const url = new URL(probe.url);
      if (port !== undefined) url.port = String(port);
      url.searchParams.set("schema", schema);
      url.searchParams.set("application_name", application);
      cleanups.push(() => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      return { url: url.toString(), schema, application };
    }

    async function adminClient(): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: probe.url });
      client.on("error", () => undefined);
      await client.connect();
      cleanups.push(() => client.end().catch(() => undefined));
      return client;
    }

    async function admin(sql: string): Promise<void> {
      const client = new pg.Client({ connectionString: probe.url });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    }

    /** Another session holds the table every ack writes to, as a migration or a LOCK TABLE would. */
    async function lockDedupeTable(schema: string): Promise<pg.Client> {
      const locker = await adminClient();
      await locker.query("BEGIN");
      await locker.query(`LOCK TABLE ${schema}.dedupe IN ACCESS EXCLUSIVE MODE`);
      return locker;
    }

    it("answers 503 within the bound while another session holds a table lock, and takes deliveries again after", async () => {
      const { url, schema } = storeUrl();
      serving = await serve(url);
      expect((await timedPost(serving)).status).toBe(202);

      const locker = await lockDedupeTable(schema);
      let answers: Answer[];
      try {
        answers = await staggeredPosts(serving);
      } finally {
        await locker.query("ROLLBACK");
      }
      expectFastRefusals(answers, serving);
      await expectRecovery(serving);
    });

    it("survives its backend being terminated in the middle of an ack: 503 within the bound, then deliveries again", async () => {
      const { url, schema, application } = storeUrl();
      serving = await serve(url);
      expect((await timedPost(serving)).status).toBe(202);

      // The ack's transaction waits on the lock, its client checked out; then its backend is ended,
      // as an operator's pg_terminate_backend or a failover does.
      const locker = await lockDedupeTable(schema);
      const watcher = await adminClient();
      const pending = timedPost(serving);
      let terminated = 0;
      try {
        for (let poll = 0; poll < 200 && terminated === 0; poll++) {
          const { rows } = await watcher.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
            [application],
          );
          if (rows.length > 0) {
            const ended = await watcher.query(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
              [application],
            );
            terminated = ended.rowCount ?? 0;
          } else {
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        }
      } finally {
        await locker.query("ROLLBACK");
      }
      expect(terminated).toBeGreaterThan(0);
      expectFastRefusals([await pending], serving);
      await expectRecovery(serving);
    });

    /** A serve whose store reaches PostgreSQL through a fault-injecting proxy, taking deliveries. */
    async function serveThroughProxy(): Promise<{ proxy: TcpProxy; bridge: ServeProcess }> {
      const target = new URL(probe.url);
      const proxy = await startTcpProxy({
        host: target.hostname,
        port: Number(target.port || 5432),
      });
      cleanups.push(() => proxy.close());
      const { url } = storeUrl(proxy.port);
      const bridge = await serve(url);
      serving = bridge;
      expect((await timedPost(bridge)).status).toBe(202);
      return { proxy, bridge };
    }

    it("survives backends terminated as they connect: 503 within the bound, then deliveries again", async () => {
      // Found in the test above (1 run in 16 under load): a backend terminated just as its connection
      // started sent its FATAL in the segment that completed the start-up, before the pool's caller
      // could listen for errors on the client, and the unheard `error` event ended the process.
      const { proxy, bridge } = await serveThroughProxy();

      proxy.terminateAtStartup(true);
      const answers = await staggeredPosts(bridge);
      proxy.terminateAtStartup(false);
      expectFastRefusals(answers, bridge);
      await expectRecovery(bridge);
    });

    it("answers 503 within the bound over half-open connections, and takes deliveries again once the network is back", async () => {
      const { proxy, bridge } = await serveThroughProxy();

      proxy.freeze();
      const answers = await staggeredPosts(bridge);
      proxy.thaw();
      expectFastRefusals(answers, bridge);
      await expectRecovery(bridge);
    });
  });
}
