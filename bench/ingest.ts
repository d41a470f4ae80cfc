#!/usr/bin/env node
// Ingest benchmark: durable Hub-webhook ingest (SQLite, synchronous=FULL, every 202 on disk) against a
// bare node:http server that only reads the body, both measured in this run with wrk in its own process.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(BENCH_DIR, "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Each server gets the same unmeasured load first, so JIT warm-up is not counted as latency. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = [16, 64];
const THREADS = 2;
/** Targets from the issue: durable ingest at 64 connections vs the bare server in the same run. */
const MIN_THROUGHPUT_RATIO = 0.5;
const MAX_P99_RATIO = 2;

interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  unexpected: number;
}

function requireWrk(): void {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
  } catch (error) {
    // wrk --version exits 1 after printing; only a missing binary throws ENOENT.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        "wrk is not installed: run `apt-get install -y wrk` (Debian package) and retry",
      );
    }
  }
}

async function startServer(
  script: string,
  args: string[],
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(BENCH_DIR, "servers", script), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) =>
      reject(new Error(`${script} exited with code ${code} before listening`)),
    );
    child.stdout?.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  return { child, port };
}

/** Distinct per wrk run, so a measured run never resends the comment ids of its warm-up. */
let nextRunId = Math.floor(Date.now() / 1000);

function runWrk(url: string, connections: number, template: string, seconds: number): Figures {
  const output = execFileSync(
    "wrk",
    [
      `-t${THREADS}`,
      `-c${connections}`,
      `-d${seconds}s`,
      "--latency",
      "-s",
      join(BENCH_DIR, "wrk-distinct-comments.lua"),
      url,
    ],
    {
      env: {
        ...process.env,
        BENCH_TEMPLATE: template,
        BENCH_SECRET: "bench-secret",
        BENCH_RUN_ID: String(nextRunId++),
      },
      encoding: "utf8",
    },
  );
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]),
    p50Ms: latencyMs(output, "50"),
    p99Ms: latencyMs(output, "99"),
    unexpected: Number(/UNEXPECTED_STATUS (\d+)/.exec(output)?.[1] ?? Number.NaN),
  };
}

function latencyMs(output: string, percentile: string): number {
  const match = new RegExp(`\\s${percentile}%\\s+([\\d.]+)(us|ms|s)`).exec(output);
  if (!match) throw new Error(`wrk printed no ${percentile}% latency:\n${output}`);
  const value = Number(match[1]);
  return match[2] === "us" ? value / 1000 : match[2] === "s" ? value * 1000 : value;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

async function main(): Promise<void> {
  requireWrk();
  const work = mkdtempSync(join(tmpdir(), "hf-bridge-bench-"));
  const template = join(work, "comment.json");
  const fixture = JSON.parse(
    readFileSync(join(REPO_ROOT, "src/cli/samples/discussion.comment.json"), "utf8"),
  ) as { comment: { id: string } };
  fixture.comment.id = "__COMMENT_ID__";
  writeFileSync(template, JSON.stringify(fixture));

  const rows: string[] = [];
  const results: Record<number, { bare: Figures; durable: Figures }> = {};
  try {
    for (const connections of CONNECTIONS) {
      const measure = (url: string): Figures => {
        if (WARMUP_SECONDS > 0) runWrk(url, connections, template, WARMUP_SECONDS);
        return runWrk(url, connections, template, SECONDS);
      };
      const bare = await startServer("bare-server.ts", []);
      const bareFigures = measure(`http://127.0.0.1:${bare.port}/webhooks/huggingface`);
      await stop(bare.child);

      const database = join(work, `bridge-${connections}.db`);
      const durable = await startServer("bridge-server.ts", [database]);
      const durableFigures = measure(`http://127.0.0.1:${durable.port}/webhooks/huggingface`);
      await stop(durable.child);
      results[connections] = { bare: bareFigures, durable: durableFigures };
      rows.push(row(connections, bareFigures, durableFigures));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const at64 = results[64];
  if (!at64) throw new Error("no result at 64 connections");
  const throughputRatio = at64.durable.requestsPerSecond / at64.bare.requestsPerSecond;
  const p99Ratio = at64.durable.p99Ms / at64.bare.p99Ms;
  const unexpected = Object.values(results).reduce(
    (sum, r) => sum + r.durable.unexpected + r.bare.unexpected,
    0,
  );
  const pass =
    throughputRatio >= MIN_THROUGHPUT_RATIO && p99Ratio <= MAX_P99_RATIO && unexpected === 0;
  const report = [
    `| connections | bare req/s | bare p50 ms | bare p99 ms | durable req/s | durable p50 ms | durable p99 ms | throughput ratio | p99 ratio |`,
    `| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...rows,
    "",
    `At 64 connections: throughput ratio ${throughputRatio.toFixed(2)} (target ≥ ${MIN_THROUGHPUT_RATIO}), p99 ratio ${p99Ratio.toFixed(2)} (target ≤ ${MAX_P99_RATIO}), non-2xx answers ${unexpected}: ${pass ? "PASS" : "FAIL"}.`,
  ].join("\n");
  process.stdout.write(`${report}\n`);
  writeResults(report);
  if (!pass) process.exitCode = 1;
}

function row(connections: number, bare: Figures, durable: Figures): string {
  const cells = [
    connections,
    bare.requestsPerSecond.toFixed(0),
    bare.p50Ms.toFixed(2),
    bare.p99Ms.toFixed(2),
    durable.requestsPerSecond.toFixed(0),
    durable.p50Ms.toFixed(2),
    durable.p99Ms.toFixed(2),
    (durable.requestsPerSecond / bare.requestsPerSecond).toFixed(2),
    (durable.p99Ms / bare.p99Ms).toFixed(2),
  ];
  return `| ${cells.join(" | ")} |`;
}

function writeResults(report: string): void {
  const file = join(BENCH_DIR, "RESULTS.md");
  const command = `npm run bench  # BENCH_SECONDS=${SECONDS}, BENCH_WARMUP_SECONDS=${WARMUP_SECONDS}: wrk -t${THREADS} -c{16,64} -d${SECONDS}s --latency after a ${WARMUP_SECONDS} s unmeasured warm-up of each server`;
  const text = [
    "# Benchmark results",
    "",
    `Latest run: ${new Date().toISOString()} on ${process.platform} ${process.arch}, Node ${process.version}, ${relative(REPO_ROOT, file)} written by the run itself.`,
    "",
    "Command:",
    "",
    "```",
    command,
    "```",
    "",
    "Durable = the bridge's Hub webhook route with the SQLite store (WAL, synchronous=FULL, group commit); every 202 is on disk before it is sent. Bare = node:http reading the body and answering 200. Both run in the same run, one after the other, with wrk in a separate process; each server first takes the same unmeasured warm-up load.",
    "",
    report,
    "",
  ].join("\n");
  writeFileSync(file, text);
}

await main();
