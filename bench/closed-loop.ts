#!/usr/bin/env node
// Ingest benchmark: durable Hub-webhook ingest (SQLite, synchronous=FULL, every 202 on disk) against a
// bare node:http server that only reads the body, both measured in this run with wrk in its own process.
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { measureClaimCost } from "./claim-cost.ts";
import { measureFootprint } from "./footprint.ts";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(BENCH_DIR, "..");
const SECONDS = readPositiveInteger("BENCH_SECONDS", 10);
/** Each server gets the same unmeasured load first, so JIT warm-up is not counted as latency. */
const WARMUP_SECONDS = readPositiveInteger("BENCH_WARMUP_SECONDS", 2, { allowZero: true });
/**
 * On a shared 2-core VM the bare server alone moves between 18,000 and 35,000 req/s from one minute to
 * the next, so one pair of runs says little: servers alternate in rounds (the order rotates) and the
 * verdict uses the median of the per-round ratios.
 */
const ROUNDS = readPositiveInteger("BENCH_ROUNDS", 3);
const CONNECTIONS = [16, 64];
const THREADS = 2;
/** Targets from the issue: durable ingest at 64 connections vs the bare server in the same run. */
const MIN_THROUGHPUT_RATIO = 0.5;
const MAX_P99_RATIO = 2;

/** Opt-in: the same durable route over PostgreSQL (one fresh schema per measurement, dropped after). */
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL || undefined;

interface BenchServer {
  name: string;
  script: string;
  /** Arguments for one start; `work` is the run's scratch directory. */
  args(work: string): string[];
  /**
   * Processes started with the same arguments (one store) for one measurement; each takes its share
   * of the connections from its own wrk, as a load balancer would spread them.
   */
  replicas?: number;
}

/** Fresh per start, so no measurement sees another's rows. */
let nextStoreId = 0;
const postgresSchemas: string[] = [];

const BARE = "bare";
const EXPRESS = "express";
const ROUTE_ONLY = "route only";
const DURABLE = "durable";
const DURABLE_POSTGRES = "durable (PostgreSQL)";
const DURABLE_POSTGRES_REPLICAS = "durable (PostgreSQL, 3 replicas)";
const SHIPPED = "serve (shipped)";

const SERVERS: BenchServer[] = [
  { name: BARE, script: "bare-server.ts", args: () => [] },
  // The reference receiver (Express, express.json, secret check), which stores nothing.
  { name: EXPRESS, script: "express-server.ts", args: () => [] },
  // Not durable and never a candidate: shows what the route costs before any storage.
  { name: ROUTE_ONLY, script: "route-only-server.ts", args: () => [] },
  {
    name: DURABLE,
    script: "bridge-server.ts",
    args: (work) => [join(work, `bridge-${nextStoreId++}.db`)],
  },
  // `hf-bridge serve` itself: worker on, dry-run, log level info; what a deployment runs.
  {
    name: SHIPPED,
    script: "shipped-serve-server.ts",
    args: (work) => [join(work, `serve-${nextStoreId++}.db`)],
  },
  ...(POSTGRES_URL
    ? [
        {
          name: DURABLE_POSTGRES,
          script: "postgres-bridge-server.ts",
          args: () => {
            const schema = `hf_bridge_bench_${process.pid}_${nextStoreId++}`;
            postgresSchemas.push(schema);
            return [POSTGRES_URL, schema];
          },
        },
        // Several replicas of the same receiver on one schema, what the PostgreSQL store is for.
        {
          name: DURABLE_POSTGRES_REPLICAS,
          script: "postgres-bridge-server.ts",
          replicas: 3,
          args: () => {
            const schema = `hf_bridge_bench_${process.pid}_${nextStoreId++}`;
            postgresSchemas.push(schema);
            return [POSTGRES_URL, schema];
          },
        },
      ]
    : []),
];

function readPositiveInteger(
  name: string,
  fallback: number,
  options: { allowZero?: boolean } = {},
): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  const least = options.allowZero ? 0 : 1;
  if (!Number.isInteger(value) || value < least) {
    throw new Error(
      `${name}=${JSON.stringify(text)} is not a whole number ≥ ${least}; unset it for the default ${fallback} or give e.g. ${name}=${fallback}`,
    );
  }
  return value;
}

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
    child.stdout?.once("data", (chunk: Buffer) =>
      resolve(Number(chunk.toString().trim().split("\n")[0])),
    );
  });
  return { child, port };
}

/** Distinct per wrk run, so a measured run never resends the comment ids of its warm-up. */
let nextRunId = Math.floor(Date.now() / 1000);

const execFileAsync = promisify(execFile);

async function runWrk(
  url: string,
  connections: number,
  template: string,
  seconds: number,
): Promise<Figures> {
  const { stdout: output } = await execFileAsync(
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

interface Round {
  connections: number;
  round: number;
  figures: Record<string, Figures>;
}

function figuresOf(round: Round, server: string): Figures {
  const figures = round.figures[server];
  if (!figures) throw new Error(`round ${round.round} has no figures for ${server}`);
  return figures;
}

async function measureServer(
  server: BenchServer,
  work: string,
  connections: number,
  template: string,
): Promise<Figures> {
  const args = server.args(work);
  // The first start migrates the store; the others then open it together.
  const started = [await startServer(server.script, args)];
  const count = server.replicas ?? 1;
  started.push(
    ...(await Promise.all(
      Array.from({ length: count - 1 }, () => startServer(server.script, args)),
    )),
  );
  try {
    const urls = started.map(({ port }) => `http://127.0.0.1:${port}/webhooks/huggingface`);
    const share = Math.max(THREADS, Math.round(connections / count));
    const load = (seconds: number) =>
      Promise.all(urls.map((url) => runWrk(url, share, template, seconds)));
    if (WARMUP_SECONDS > 0) await load(WARMUP_SECONDS);
    return combine(await load(SECONDS));
  } finally {
    await Promise.all(started.map(({ child }) => stop(child)));
  }
}

/** Several wrk runs at once as one load: throughput adds up, latency is the worst replica's. */
function combine(parts: Figures[]): Figures {
  return {
    requestsPerSecond: parts.reduce((sum, part) => sum + part.requestsPerSecond, 0),
    p50Ms: Math.max(...parts.map((part) => part.p50Ms)),
    p99Ms: Math.max(...parts.map((part) => part.p99Ms)),
    unexpected: parts.reduce((sum, part) => sum + part.unexpected, 0),
  };
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

  const rounds: Round[] = [];
  try {
    for (const connections of CONNECTIONS) {
      for (let round = 1; round <= ROUNDS; round++) {
        const figures: Record<string, Figures> = {};
        for (let index = 0; index < SERVERS.length; index++) {
          const server = SERVERS[(index + round - 1) % SERVERS.length] as BenchServer;
          figures[server.name] = await measureServer(server, work, connections, template);
        }
        rounds.push({ connections, round, figures });
        process.stderr.write(`${roundRow(rounds.at(-1) as Round)}\n`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (POSTGRES_URL) await dropSchemas(POSTGRES_URL, postgresSchemas);
  }

  const extraWork = mkdtempSync(join(tmpdir(), "hf-bridge-bench-extra-"));
  let extra: string[];
  try {
    writeFileSync(join(extraWork, "comment.json"), JSON.stringify(fixture));
    extra = [
      ...(await measureClaimCost()),
      ...(await measureFootprint(extraWork, join(extraWork, "comment.json"))),
    ];
  } finally {
    rmSync(extraWork, { recursive: true, force: true });
  }

  const at64 = rounds.filter((round) => round.connections === 64);
  const throughputRatio = median(at64.map(throughputRatioOf));
  const p99Ratio = median(at64.map(p99RatioOf));
  const unexpected = rounds.reduce(
    (sum, round) => sum + Object.values(round.figures).reduce((n, f) => n + f.unexpected, 0),
    0,
  );
  const pass =
    throughputRatio >= MIN_THROUGHPUT_RATIO && p99Ratio <= MAX_P99_RATIO && unexpected === 0;
  const headings = SERVERS.flatMap(({ name }) => [
    `${name} req/s`,
    `${name} p50 ms`,
    `${name} p99 ms`,
  ]);
  const report = [
    `| connections | round | ${headings.join(" | ")} | throughput ratio | p99 ratio |`,
    `|${" ---: |".repeat(headings.length + 4)}`,
    ...rounds.map(roundRow),
    "",
    ...CONNECTIONS.map((connections) => {
      const at = rounds.filter((round) => round.connections === connections);
      const others = SERVERS.filter(({ name }) => name !== BARE && name !== DURABLE).map(
        ({ name }) =>
          `${name} / bare ${median(at.map((round) => ratioToBare(round, name))).toFixed(2)}`,
      );
      const shipped = median(
        at.map(
          (round) =>
            figuresOf(round, SHIPPED).requestsPerSecond /
            figuresOf(round, EXPRESS).requestsPerSecond,
        ),
      );
      others.push(`serve (shipped) / express ${shipped.toFixed(2)} (issue 21 target at 64: ≥ 1.0)`);
      if (POSTGRES_URL) {
        const replicated = (pick: (figures: Figures) => number) =>
          median(
            at.map(
              (round) =>
                pick(figuresOf(round, DURABLE_POSTGRES_REPLICAS)) /
                pick(figuresOf(round, DURABLE_POSTGRES)),
            ),
          ).toFixed(2);
        others.push(
          `PostgreSQL 3 replicas / 1 replica: throughput ${replicated((f) => f.requestsPerSecond)}, p99 ${replicated((f) => f.p99Ms)}`,
        );
      }
      return `Median at ${connections} connections: throughput ratio ${median(at.map(throughputRatioOf)).toFixed(2)}, p99 ratio ${median(at.map(p99RatioOf)).toFixed(2)}, ${others.join(", ")}.`;
    }),
    "",
    "Claim cost, footprint and drain (bench/claim-cost.ts, bench/footprint.ts, same run):",
    "",
    ...extra.map((line) => `- ${line}`),
    "",
    `Verdict at 64 connections (medians of ${ROUNDS} rounds): throughput ratio ${throughputRatio.toFixed(2)} (target ≥ ${MIN_THROUGHPUT_RATIO}), p99 ratio ${p99Ratio.toFixed(2)} (target ≤ ${MAX_P99_RATIO}), non-2xx answers ${unexpected}: ${pass ? "PASS" : "FAIL"}.`,
  ].join("\n");
  process.stdout.write(`${report}\n`);
  writeResults(report);
  if (!pass) process.exitCode = 1;
}

function ratioToBare(round: Round, server: string): number {
  return figuresOf(round, server).requestsPerSecond / figuresOf(round, BARE).requestsPerSecond;
}
const throughputRatioOf = (round: Round) => ratioToBare(round, DURABLE);
const p99RatioOf = (round: Round) => figuresOf(round, DURABLE).p99Ms / figuresOf(round, BARE).p99Ms;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function roundRow(round: Round): string {
  const cells = [
    round.connections,
    round.round,
    ...SERVERS.flatMap(({ name }) => {
      const figures = figuresOf(round, name);
      return [
        figures.requestsPerSecond.toFixed(0),
        figures.p50Ms.toFixed(2),
        figures.p99Ms.toFixed(2),
      ];
    }),
    throughputRatioOf(round).toFixed(2),
    p99RatioOf(round).toFixed(2),
  ];
  return `| ${cells.join(" | ")} |`;
}

/** The URL as it may be written down: a password never reaches RESULTS.md. */
function withoutPassword(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed) return "(an unparseable URL)";
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

async function dropSchemas(connectionString: string, schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    for (const schema of schemas) {
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    }
  } finally {
    await client.end();
  }
}

function writeResults(report: string): void {
  const file = join(BENCH_DIR, "RESULTS.md");
  const postgres = POSTGRES_URL ? ` BENCH_POSTGRES_URL=${withoutPassword(POSTGRES_URL)}` : "";
  const command = [
    `BENCH_SECONDS=${SECONDS} BENCH_WARMUP_SECONDS=${WARMUP_SECONDS} BENCH_ROUNDS=${ROUNDS}${postgres} npm run bench`,
    `# each measurement: wrk -t${THREADS} -c{16,64} -d${SECONDS}s --latency after a ${WARMUP_SECONDS} s unmeasured warm-up of the server`,
  ].join("\n");
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
    `Durable = the bridge's Hub webhook route with the SQLite store (WAL, synchronous=FULL, group commit); every 202 is on disk before it is sent. Bare = node:http reading the body and answering 200. Express = the receiver Hub-webhook guides recommend (Express, express.json, constant-time secret check), which stores nothing. Route only = the bridge's route with a store that answers at once and keeps nothing (not durable; it shows what the route costs before storage). Serve (shipped) = \`hf-bridge serve\` itself (worker on, dry-run, SQLite, log level info, its JSON log read and dropped), draining what wrk posts while wrk posts; it is what issue 21's targets compare with Express. The machine is a shared 2-core VM with other jobs running beside the bench, so absolute figures move a lot between minutes; compare ratios within a round.${POSTGRES_URL ? " Durable (PostgreSQL) = the same route over the PostgreSQL store, each 202 committed by the server (a fresh schema per measurement, dropped afterwards); with 3 replicas, three such processes on one schema, each loaded by its own wrk with a third of the connections (as a load balancer would spread them): req/s is their sum, p50 and p99 the worst of the three." : ""} All servers run in the same run, in rounds whose order rotates, with wrk in a separate process; each server first takes the same unmeasured warm-up load. Ratios are durable / bare within a round; the verdict takes their median.`,
    "",
    report,
    "",
  ].join("\n");
  writeFileSync(file, text);
}

await main();
