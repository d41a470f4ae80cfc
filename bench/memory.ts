// Memory and store size: RSS of the shipped serve and of Express idle, at peak under 64 connections
// and a while after, and the serve's SQLite bytes per delivery. `npm run bench` runs it (BENCH_ONLY=memory).
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { storedText } from "../src/store/stored-text.ts";
import type { BenchSettings } from "./support/bench-settings.ts";
import { firstAnswer } from "./support/first-answer.ts";
import { freePort } from "./support/free-port.ts";
import { postHubComment } from "./support/post-hub-comment.ts";
import { startServe } from "./support/start-serve.ts";
import { stopChild } from "./support/stop-child.ts";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
/** After the first answer, before the idle reading: start-up work (migrations, first poll) is over. */
const IDLE_SETTLE_MS = 3_000;

/** Seconds the section takes, for the estimate printed at the start. */
export function memorySeconds(settings: BenchSettings): number {
  return IDLE_SETTLE_MS / 1000 + 2 * settings.seconds + settings.afterLoadSeconds + 3;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

interface Sampled {
  name: string;
  child: ChildProcess;
  port: number;
  idle: number;
  peak: number;
  after: number;
  loadEndedAt: number;
}

/** wrk at 64 connections for `seconds`, the RSS sampled every 200 ms meanwhile. */
async function loadAndSample(server: Sampled, seconds: number, template: string): Promise<void> {
  const pid = server.child.pid as number;
  const sampler = setInterval(() => {
    server.peak = Math.max(server.peak, rssMb(pid));
  }, 200);
  const wrk = spawn(
    "wrk",
    [
      "-t2",
      "-c64",
      `-d${seconds}s`,
      "-s",
      join(BENCH_DIR, "wrk-distinct-comments.lua"),
      `http://127.0.0.1:${server.port}/webhooks/huggingface`,
    ],
    {
      env: { ...process.env, BENCH_TEMPLATE: template, BENCH_RUN_ID: String(server.port) },
      stdio: "ignore",
    },
  );
  await new Promise((resolve) => wrk.once("exit", resolve));
  clearInterval(sampler);
  server.loadEndedAt = performance.now();
}

async function storeLine(database: string): Promise<string> {
  const db = new DatabaseSync(database);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  // Bodies are stored packed, so their raw size is read back through the store's own codec.
  const bodies = db.prepare("SELECT body, body_packed FROM deliveries").all();
  const row = {
    n: bodies.length,
    body:
      bodies.reduce(
        (sum, stored) => sum + Buffer.byteLength(storedText(stored.body_packed, stored.body)),
        0,
      ) / bodies.length,
  };
  db.close();
  const bytes = statSync(database).size;
  const perDelivery = bytes / row.n;
  return `Store (bench/memory.ts): ${row.n} deliveries in ${bytes} bytes (checkpointed SQLite file) = ${perDelivery.toFixed(0)} bytes per delivery for a ${row.body.toFixed(0)}-byte body, ${(perDelivery / row.body).toFixed(2)}× (target ≤ 1.5×).`;
}

/**
 * Serve and Express are up together; each is loaded in turn, and each read `afterLoadSeconds` after
 * its own load, so the minute after the serve's load overlaps Express's (an idle process's RSS does
 * not depend on what else runs). One round: the minute after is most of the section.
 */
export async function measureMemory(
  settings: BenchSettings,
  work: string,
  template: string,
): Promise<string[]> {
  const database = join(work, "memory.db");
  const servePort = await freePort();
  const expressPort = await freePort();
  const servers: Sampled[] = [
    { name: "serve", child: startServe(servePort, database), port: servePort },
    {
      name: "Express",
      child: spawn(
        process.execPath,
        [join(BENCH_DIR, "servers/express-server.ts"), String(expressPort)],
        {
          stdio: ["ignore", "ignore", "inherit"],
        },
      ),
      port: expressPort,
    },
  ].map((server) => ({ ...server, idle: 0, peak: 0, after: 0, loadEndedAt: 0 }));
  try {
    for (const server of servers) {
      await firstAnswer(
        () => postHubComment(server.port, "memory0000000000000000"),
        process.hrtime.bigint(),
        server.child,
      );
    }
    await sleep(IDLE_SETTLE_MS);
    for (const server of servers) {
      server.idle = rssMb(server.child.pid as number);
      server.peak = server.idle;
    }
    for (const server of servers) await loadAndSample(server, settings.seconds, template);
    for (const server of servers) {
      await sleep(
        Math.max(0, server.loadEndedAt + settings.afterLoadSeconds * 1000 - performance.now()),
      );
      server.after = rssMb(server.child.pid as number);
    }
  } finally {
    for (const server of servers) await stopChild(server.child);
  }
  const [serve, express] = servers as [Sampled, Sampled];
  const ratio = (pick: (server: Sampled) => number) => (pick(serve) / pick(express)).toFixed(2);
  return [
    `RSS (bench/memory.ts), MB, one round: serve idle ${serve.idle.toFixed(0)} (target ≤ 90), peak under ${settings.seconds} s of 64 connections ${serve.peak.toFixed(0)} (target ≤ 160), ${settings.afterLoadSeconds} s after the load ${serve.after.toFixed(0)} (target ≤ 120 a minute after); Express ${express.idle.toFixed(0)} / ${express.peak.toFixed(0)} / ${express.after.toFixed(0)}; serve / Express ${ratio((s) => s.idle)} / ${ratio((s) => s.peak)} / ${ratio((s) => s.after)}.`,
    await storeLine(database),
  ];
}
