#!/usr/bin/env node
// What `hf-bridge serve` as shipped costs beyond throughput: spawn to first 202 (beside Express's spawn
// to first 200), RSS idle, under 64 connections and after the load, store bytes per delivery, and the
// dry-run drain rate with a 2,000- and a 100,000-job backlog. `npm run bench` runs it after the
// throughput rounds; run alone it prints the same lines.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { BENCH_SECRET, spawnShippedServe } from "./servers/spawn-shipped-serve.ts";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(BENCH_DIR, "..");
/** Cold starts per server; they alternate, serve then Express. */
const COLD_STARTS = 3;
/** After the first 202, before reading the idle RSS: start-up work (migrations, first poll) is over. */
const IDLE_SETTLE_MS = 3_000;
/** The issue asks for RSS a minute after the load; shorter by default on a shared machine. */
const AFTER_LOAD_MS = Number(process.env.BENCH_AFTER_LOAD_SECONDS ?? 30) * 1_000;
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** The longest stretch of a drain that is measured (a 100,000-job backlog is not drained to the end). */
const DRAIN_WINDOW_MS = 8_000;
/** How often the done count is read during a drain; each read is one count over the jobs table. */
const DRAIN_POLL_MS = 50;
/** A worker that has not done 10 % of the backlog by then is stuck, not slow. */
const DRAIN_START_LIMIT_MS = 60_000;
const BACKLOGS = [2_000, 100_000];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function commentBody(id: string): string {
  const sample = JSON.parse(
    readFileSync(join(REPO_ROOT, "src/cli/samples/discussion.comment.json"), "utf8"),
  ) as { comment: { id: string } };
  sample.comment.id = id;
  return JSON.stringify(sample);
}

function configFile(work: string): string {
  const path = join(work, "hf-bridge.yml");
  writeFileSync(path, 'routes:\n  - hub: "**"\n    github: acme/app\n    discussions: true\n');
  return path;
}

function startServe(work: string, port: number, database: string): ChildProcess {
  return spawnShippedServe({ port, config: configFile(work), store: database, stdout: "ignore" });
}

/** Posts until the server answers 2xx; the time since `started`, in ms. */
async function firstAnswer(port: number, started: bigint, n: number): Promise<number> {
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/huggingface`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-webhook-secret": BENCH_SECRET },
        body: commentBody(`cold${String(n).padStart(20, "0")}`),
      });
      if (response.ok) return Number(process.hrtime.bigint() - started) / 1e6;
    } catch {
      // Not listening yet.
    }
    await sleep(2);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function range(values: number[], digits = 0): string {
  return `median ${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}

async function coldStarts(work: string): Promise<string> {
  const serve: number[] = [];
  const express: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const servePort = await freePort();
    let started = process.hrtime.bigint();
    const bridge = startServe(work, servePort, join(work, `cold-${i}.db`));
    serve.push(await firstAnswer(servePort, started, i));
    await stop(bridge);
    const expressPort = await freePort();
    started = process.hrtime.bigint();
    const reference = spawn(
      process.execPath,
      [join(BENCH_DIR, "servers/express-server.ts"), String(expressPort)],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    express.push(await firstAnswer(expressPort, started, i));
    await stop(reference);
  }
  const ratios = serve.map((ms, i) => ms / (express[i] ?? Number.NaN));
  return `Spawn to first 2xx, ms (${COLD_STARTS} alternating starts): serve ${range(serve)}, Express ${range(express)}; serve / Express ${range(ratios, 2)} (target ≤ 2).`;
}

async function memoryAndStore(work: string, template: string): Promise<string[]> {
  const port = await freePort();
  const database = join(work, "footprint.db");
  const bridge = startServe(work, port, database);
  try {
    await firstAnswer(port, process.hrtime.bigint(), 0);
    await sleep(IDLE_SETTLE_MS);
    const pid = bridge.pid as number;
    const idle = rssMb(pid);
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid));
    }, 200);
    const wrk = spawn(
      "wrk",
      [
        "-t2",
        "-c64",
        `-d${LOAD_SECONDS}s`,
        "-s",
        join(BENCH_DIR, "wrk-distinct-comments.lua"),
        `http://127.0.0.1:${port}/webhooks/huggingface`,
      ],
      { env: { ...process.env, BENCH_TEMPLATE: template }, stdio: "ignore" },
    );
    await new Promise((resolve) => wrk.once("exit", resolve));
    clearInterval(sampler);
    await sleep(AFTER_LOAD_MS);
    const after = rssMb(pid);
    await stop(bridge);
    const db = new DatabaseSync(database);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const row = db
      .prepare("SELECT count(*) AS n, avg(length(CAST(body AS BLOB))) AS body FROM deliveries")
      .get() as { n: number; body: number };
    db.close();
    const bytes = statSync(database).size;
    const perDelivery = bytes / row.n;
    return [
      `RSS of serve, MB: idle ${idle.toFixed(0)} (target ≤ 90), peak under ${LOAD_SECONDS} s of 64 connections ${peak.toFixed(0)} (target ≤ 160), ${AFTER_LOAD_MS / 1000} s after the load ${after.toFixed(0)} (target ≤ 120 a minute after).`,
      `Store: ${row.n} deliveries in ${bytes} bytes (checkpointed file) = ${perDelivery.toFixed(0)} bytes per delivery for a ${row.body.toFixed(0)}-byte body, ${(perDelivery / row.body).toFixed(2)}× (target ≤ 1.5×).`,
    ];
  } finally {
    await stop(bridge);
  }
}

/** A store holding `backlog` queued copies of one real delivery, each with its own dedupe key. */
function seedBacklog(database: string, backlog: number): void {
  // The schema comes from the bridge itself: a first start migrates the file.
  const db = new DatabaseSync(database);
  const now = Date.now();
  const body = commentBody("seed0000000000000000000000");
  db.exec("BEGIN");
  db.prepare(`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
    INSERT INTO deliveries (source, received_at, dedupe_key, dedupe_hash, body, headers, disposition, event_kind)
    SELECT 'hub', :now, 'seed:' || i, i, :body, '{}', 'queued', 'comment.created' FROM n`).run({
    count: backlog,
    now,
    body,
  });
  db.exec("COMMIT");
  db.close();
}

/**
 * Jobs/s while the count of done jobs goes from 10 % to 90 % of the backlog, for at most
 * DRAIN_WINDOW_MS: the start (module loading, JIT warm-up, the first poll) and the last stragglers stay
 * out, so a 2,000-job backlog drained in a second is measured as well as a 100,000-job one. (A fixed
 * window that opened two seconds after the start measured what was left of a drained 2k backlog.)
 */
async function steadyDrainRate(countDone: () => number, backlog: number): Promise<number> {
  const from = Math.ceil(backlog * 0.1);
  const to = Math.floor(backlog * 0.9);
  const gaveUpAt = performance.now() + DRAIN_START_LIMIT_MS;
  let start: { done: number; at: number } | undefined;
  for (;;) {
    await sleep(DRAIN_POLL_MS);
    const done = countDone();
    const at = performance.now();
    if (start === undefined) {
      if (done >= from) start = { done, at };
      else if (at > gaveUpAt)
        throw new Error(`drain: ${done} of ${backlog} jobs done after ${DRAIN_START_LIMIT_MS} ms`);
    } else if (done >= to || at - start.at >= DRAIN_WINDOW_MS) {
      return ((done - start.done) * 1000) / (at - start.at);
    }
  }
}

async function drainRate(work: string, backlog: number): Promise<number> {
  const database = join(work, `drain-${backlog}.db`);
  // Migrate with a first start, take one real job's event from it, then copy it.
  const port = await freePort();
  let bridge = startServe(work, port, database);
  await firstAnswer(port, process.hrtime.bigint(), 1);
  await stop(bridge);
  const db = new DatabaseSync(database);
  const event = (db.prepare("SELECT event FROM jobs LIMIT 1").get() as { event: string }).event;
  db.close();
  seedBacklog(database, backlog);
  const seeded = new DatabaseSync(database);
  seeded
    .prepare(`
      INSERT INTO jobs (delivery_id, state, event, not_before, updated_at)
      SELECT id, 'queued', :event, :now, :now FROM deliveries WHERE dedupe_key LIKE 'seed:%'`)
    .run({ event, now: Date.now() });
  seeded.close();
  bridge = startServe(work, await freePort(), database);
  try {
    const reader = new DatabaseSync(database, { readOnly: true });
    try {
      const done = reader.prepare("SELECT count(*) AS n FROM jobs WHERE state = 'done'");
      return await steadyDrainRate(() => (done.get() as { n: number }).n, backlog);
    } finally {
      reader.close();
    }
  } finally {
    await stop(bridge);
  }
}

export async function measureFootprint(work: string, template: string): Promise<string[]> {
  const lines = [await coldStarts(work), ...(await memoryAndStore(work, template))];
  const rates: number[] = [];
  for (const backlog of BACKLOGS) rates.push(await drainRate(work, backlog));
  const [small, large] = rates as [number, number];
  lines.push(
    `Dry-run drain of serve, jobs/s from 10 % to 90 % of the backlog done (at most ${DRAIN_WINDOW_MS / 1000} s of it): ${small.toFixed(0)} with ${BACKLOGS[0]} queued, ${large.toFixed(0)} with ${BACKLOGS[1]} queued (${(large / small).toFixed(2)} of the 2k rate; targets ≥ 2,000 jobs/s and within 20 %).`,
  );
  for (const line of lines) console.log(line);
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const work = mkdtempSync(join(tmpdir(), "hf-bridge-footprint-"));
  try {
    const template = join(work, "comment.json");
    writeFileSync(template, commentBody("__COMMENT_ID__"));
    await measureFootprint(work, template);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
