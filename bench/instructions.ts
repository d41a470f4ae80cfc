// Instructions per request: each server under `valgrind --tool=callgrind` with instrumentation off
// while it starts and takes a warm-up, then on for N requests (and, for serve, until its worker has
// done their jobs): the count is all the process's threads' instructions over those requests,
// start-up excluded. `npm run bench` runs it where valgrind is installed (BENCH_ONLY=instructions).
import { type ChildProcess, execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import type { BenchSettings } from "./support/bench-settings.ts";
import { commentBody } from "./support/comment-body.ts";
import { firstAnswer } from "./support/first-answer.ts";
import { freePort } from "./support/free-port.ts";
import { postHubComment } from "./support/post-hub-comment.ts";
import { spread } from "./support/spread.ts";
import { startBenchServer } from "./support/start-bench-server.ts";
import { startServe } from "./support/start-serve.ts";
import { stopChild } from "./support/stop-child.ts";

const execFileAsync = promisify(execFile);
/** Requests out at once from the client (its own instructions are not counted: another process). */
const CONCURRENCY = 4;
/**
 * Under valgrind a store call can outlast the store's own deadline (1.5 s) and be answered 503; the
 * client then retries it, and the retries are reported (their instructions are counted).
 */
const RETRY_PAUSE_MS = 50;
const EXPRESS = "express";
/** Jobs still open after this long wait for a retry, which a dry run should not need. */
const IDLE_LIMIT_MS = 600_000;

interface Started {
  child: ChildProcess;
  port: number;
  /** Resolves once every job the server queued is done (at once for a server without a worker). */
  idle(): Promise<void>;
}

interface CountedServer {
  name: string;
  start(launcher: string[], work: string, id: number): Promise<Started>;
}

const noWorker = async (): Promise<void> => {};

const SERVERS: CountedServer[] = [
  {
    name: EXPRESS,
    start: async (launcher) => ({
      ...(await startBenchServer("express-server.ts", [], launcher)),
      idle: noWorker,
    }),
  },
  {
    name: "ingest-only",
    start: async (launcher, work, id) => ({
      ...(await startBenchServer(
        "bridge-server.ts",
        [join(work, `instr-bridge-${id}.db`)],
        launcher,
      )),
      idle: noWorker,
    }),
  },
  {
    name: "serve (shipped)",
    start: async (launcher, work, id) => {
      const port = await freePort();
      const database = join(work, `instr-serve-${id}.db`);
      const child = startServe(port, database, launcher);
      await firstAnswer(
        () => postHubComment(port, `instrfirst${id}`),
        process.hrtime.bigint(),
        child,
      );
      return { child, port, idle: () => allJobsDone(database) };
    },
  },
];

/** Seconds the section takes, for the estimate printed at the start (valgrind is slow to start). */
export function instructionsSeconds(settings: BenchSettings): number {
  if (!hasValgrind()) return 0;
  // Scaled down from a run on a machine loaded ~8× over (200 requests: 13 min, most of it serve's
  // worker): a start under valgrind, then ~80 ms per request counted and its uncounted warm-up twin.
  return SERVERS.length * settings.instructionRounds * (15 + settings.instructionRequests * 0.08);
}

function hasValgrind(): boolean {
  try {
    execFileSync("valgrind", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function allJobsDone(database: string): Promise<void> {
  const reader = new DatabaseSync(database, { readOnly: true });
  try {
    const open = reader.prepare(
      "SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'running')",
    );
    // A job waiting for a retry would hold this forever; a dry run should have none.
    const gaveUpAt = performance.now() + IDLE_LIMIT_MS;
    while ((open.get() as { n: number }).n > 0 && performance.now() < gaveUpAt) await sleep(100);
  } finally {
    reader.close();
  }
}

/** `count` distinct Hub deliveries, CONCURRENCY at a time, each retried until it is answered 2xx. */
async function post(port: number, count: number, prefix: string): Promise<{ retries: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  let retries = 0;
  const once = (body: string) =>
    new Promise<number>((resolve) => {
      const outgoing = request(`http://127.0.0.1:${port}/webhooks/huggingface`, {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-webhook-secret": "bench-secret",
        },
      });
      outgoing.once("response", (response) => {
        response.resume();
        response.once("end", () => resolve(response.statusCode ?? 0));
      });
      // A socket reset (a request outlasting the server's request timeout under valgrind) is retried
      // like a 503; status 0 stands for it.
      outgoing.once("error", () => resolve(0));
      outgoing.end(body);
    });
  const lane = async () => {
    while (next < count) {
      const body = commentBody(`${prefix}${String(next++).padStart(12, "0")}`);
      for (;;) {
        const status = await once(body);
        if (status >= 200 && status < 300) break;
        if (status !== 503 && status !== 0) throw new Error(`HTTP ${status} under valgrind`);
        retries++;
        await sleep(RETRY_PAUSE_MS);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  } finally {
    agent.destroy();
  }
  return { retries };
}

/** The instructions in the first dump callgrind_control asked process `pid` for. */
function dumpedInstructions(work: string, pid: number): number {
  const file = join(work, `callgrind.${pid}.1`);
  const summary = /^summary:\s+(\d+)/m.exec(readFileSync(file, "utf8"));
  if (!summary) throw new Error(`callgrind dump ${file} has no summary line`);
  return Number(summary[1]);
}

async function count(
  server: CountedServer,
  settings: BenchSettings,
  work: string,
  id: number,
): Promise<{ perRequest: number; retries: number }> {
  const launcher = [
    "valgrind",
    "--tool=callgrind",
    "--instr-atstart=no",
    `--callgrind-out-file=${join(work, "callgrind.%p")}`,
    `--log-file=${join(work, "valgrind.%p.log")}`,
  ];
  const started = await server.start(launcher, work, id);
  const pid = started.child.pid as number;
  try {
    // As many uninstrumented requests first, so V8 has compiled the hot paths before counting.
    await post(started.port, settings.instructionRequests, `w${id}x`);
    await started.idle();
    await execFileAsync("callgrind_control", ["--instr=on", String(pid)]);
    const { retries } = await post(started.port, settings.instructionRequests, `m${id}x`);
    await started.idle();
    await execFileAsync("callgrind_control", ["--dump", String(pid)]);
    return { perRequest: dumpedInstructions(work, pid) / settings.instructionRequests, retries };
  } finally {
    await stopChild(started.child);
  }
}

export async function measureInstructions(
  settings: BenchSettings,
  work: string,
): Promise<string[]> {
  if (!hasValgrind())
    return [
      "Instructions per request (bench/instructions.ts): skipped, valgrind is not installed.",
    ];
  const counts = new Map<string, number[]>(SERVERS.map(({ name }) => [name, []]));
  let id = 0;
  let retried = 0;
  for (let round = 1; round <= settings.instructionRounds; round++) {
    for (let index = 0; index < SERVERS.length; index++) {
      const server = SERVERS[(index + round - 1) % SERVERS.length] as CountedServer;
      const { perRequest, retries } = await count(server, settings, work, id++);
      counts.get(server.name)?.push(perRequest);
      retried += retries;
      process.stderr.write(
        `instructions: round ${round} ${server.name}: ${perRequest.toFixed(0)} per request, ${retries} retried\n`,
      );
    }
  }
  const express = counts.get(EXPRESS) ?? [];
  const cells = SERVERS.map(({ name }) => {
    const values = counts.get(name) ?? [];
    const toExpress = values.map((value, i) => value / (express[i] ?? Number.NaN));
    return `${name} ${spread(values.map((value) => value / 1000))} k (${spread(toExpress, 2)} × Express)`;
  });
  return [
    `Instructions per request (bench/instructions.ts), valgrind --tool=callgrind, instrumentation switched on after start-up and ${settings.instructionRequests} warm-up requests, then ${settings.instructionRequests} requests ${CONCURRENCY} at a time; all threads of the server process; serve counted until its worker has done their jobs (dry-run), so it includes work the others do not; ${settings.instructionRounds} round(s), median (min–max): ${cells.join("; ")}; ${retried} requests answered 503 or reset under valgrind and retried (counted).`,
  ];
}
