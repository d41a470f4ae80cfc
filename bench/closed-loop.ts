// Closed loop: wrk at 16 and 64 connections against every receiver in interleaved rounds (the order
// rotates), each after the same unmeasured warm-up. `npm run bench` runs it (BENCH_ONLY=closed-loop).
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { PROBOT_WEBHOOK_PATH } from "./servers/probot-server-path.ts";
import type { BenchSettings } from "./support/bench-settings.ts";
import { githubSignedBody } from "./support/github-signed-body.ts";
import { median } from "./support/median.ts";
import { spread } from "./support/spread.ts";
import { startBenchServer } from "./support/start-bench-server.ts";
import { stopChild } from "./support/stop-child.ts";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const CONNECTIONS = [16, 64];
const THREADS = 2;
/** Targets of issue 3: durable ingest at 64 connections vs the bare server in the same run. */
const MIN_THROUGHPUT_RATIO = 0.5;
const MAX_P99_RATIO = 2;
/** Signed bodies cycled by wrk for Probot (it keeps no dedupe, so repeats cost it nothing less). */
const SIGNED_DELIVERIES = 4096;

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
  /** GitHub-signed deliveries to Probot's path instead of Hub deliveries to the bridge's. */
  github?: boolean;
}

const BARE = "bare";
const EXPRESS = "express";
const PROBOT = "probot";
const ROUTE_ONLY = "route only";
const DURABLE = "ingest-only";
const SHIPPED = "serve (shipped)";
const SHIPPED_POSTGRES = "serve (shipped, PostgreSQL)";
const DURABLE_POSTGRES = "ingest-only (PostgreSQL)";
const DURABLE_POSTGRES_REPLICAS = "ingest-only (PostgreSQL, 3 replicas)";

/** The receivers measured, in the order of the first round. */
export function closedLoopServers(postgresUrl: string | undefined): BenchServer[] {
  let nextStoreId = 0;
  const postgres = (name: string, replicas?: number): BenchServer => ({
    name,
    script: "postgres-bridge-server.ts",
    ...(replicas ? { replicas } : {}),
    args: () => [postgresUrl as string, benchSchema(nextStoreId++)],
  });
  const shippedOn = (name: string, store: (work: string, id: number) => string): BenchServer => ({
    name,
    script: "shipped-serve-server.ts",
    args: (work) => {
      const id = nextStoreId++;
      return [store(work, id), join(work, `serve-${id}.yml`)];
    },
  });
  return [
    { name: BARE, script: "bare-server.ts", args: () => [] },
    // The receiver Hub-webhook guides recommend (Express, express.json, secret check), storing nothing.
    { name: EXPRESS, script: "express-server.ts", args: () => [] },
    { name: PROBOT, script: "probot-server.ts", args: () => [], github: true },
    // Not durable and never a candidate: what the route costs before any storage.
    { name: ROUTE_ONLY, script: "route-only-server.ts", args: () => [] },
    {
      name: DURABLE,
      script: "bridge-server.ts",
      args: (work) => [join(work, `bridge-${nextStoreId++}.db`)],
    },
    shippedOn(SHIPPED, (work, id) => join(work, `serve-${id}.db`)),
    ...(postgresUrl
      ? [
          shippedOn(SHIPPED_POSTGRES, (_work, id) => {
            const url = new URL(postgresUrl);
            url.searchParams.set("schema", benchSchema(id));
            return url.toString();
          }),
          postgres(DURABLE_POSTGRES),
          postgres(DURABLE_POSTGRES_REPLICAS, 3),
        ]
      : []),
  ];
}

/** A store schema of this run's; dropped at the end of the section. */
function benchSchema(id: number): string {
  return `hf_bridge_bench_${process.pid}_${id}`;
}

/** Seconds the section takes, for the estimate printed at the start. */
export function closedLoopSeconds(settings: BenchSettings): number {
  const starts = closedLoopServers(settings.postgresUrl).length;
  return (
    CONNECTIONS.length * settings.rounds * starts * (settings.warmupSeconds + settings.seconds + 1)
  );
}

interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  unexpected: number;
}

interface Round {
  connections: number;
  round: number;
  figures: Record<string, Figures>;
}

interface Load {
  hubTemplate: string;
  signedFile: string;
}

/** Distinct per wrk run, so a measured run never resends the comment ids of its warm-up. */
let nextRunId = Math.floor(Date.now() / 1000);

const execFileAsync = promisify(execFile);

async function runWrk(
  url: string,
  connections: number,
  seconds: number,
  server: BenchServer,
  load: Load,
): Promise<Figures> {
  const script = server.github ? "wrk-signed-deliveries.lua" : "wrk-distinct-comments.lua";
  const { stdout: output } = await execFileAsync(
    "wrk",
    [
      `-t${THREADS}`,
      `-c${connections}`,
      `-d${seconds}s`,
      "--latency",
      "-s",
      join(BENCH_DIR, script),
      url,
    ],
    {
      env: {
        ...process.env,
        BENCH_TEMPLATE: load.hubTemplate,
        BENCH_SIGNED: load.signedFile,
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

async function measureServer(
  server: BenchServer,
  connections: number,
  settings: BenchSettings,
  work: string,
  load: Load,
): Promise<Figures> {
  const args = server.args(work);
  // The first start migrates the store; the others then open it together.
  const started = [await startBenchServer(server.script, args)];
  const count = server.replicas ?? 1;
  started.push(
    ...(await Promise.all(
      Array.from({ length: count - 1 }, () => startBenchServer(server.script, args)),
    )),
  );
  try {
    const path = server.github ? PROBOT_WEBHOOK_PATH : "/webhooks/huggingface";
    const urls = started.map(({ port }) => `http://127.0.0.1:${port}${path}`);
    const share = Math.max(THREADS, Math.round(connections / count));
    const run = (seconds: number) =>
      Promise.all(urls.map((url) => runWrk(url, share, seconds, server, load)));
    if (settings.warmupSeconds > 0) await run(settings.warmupSeconds);
    return combine(await run(settings.seconds));
  } finally {
    await Promise.all(started.map(({ child }) => stopChild(child)));
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

function figuresOf(round: Round, server: string): Figures {
  const figures = round.figures[server];
  if (!figures) throw new Error(`round ${round.round} has no figures for ${server}`);
  return figures;
}

function writeSignedDeliveries(file: string): void {
  const lines: string[] = [];
  for (let i = 0; i < SIGNED_DELIVERIES; i++) {
    const { body, signature } = githubSignedBody(
      `gh${String(i).padStart(22, "0")}`,
      "bench-secret",
    );
    lines.push(`${signature}\t${body}`);
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
}

export interface ClosedLoopResult {
  lines: string[];
  /** Issue 3's verdict at 64 connections (ingest-only over SQLite against bare). */
  pass: boolean;
}

export async function measureClosedLoop(
  settings: BenchSettings,
  work: string,
  hubTemplate: string,
): Promise<ClosedLoopResult> {
  const servers = closedLoopServers(settings.postgresUrl);
  const load = { hubTemplate, signedFile: join(work, "signed-deliveries.tsv") };
  writeSignedDeliveries(load.signedFile);
  const rounds: Round[] = [];
  try {
    for (const connections of CONNECTIONS) {
      for (let round = 1; round <= settings.rounds; round++) {
        const figures: Record<string, Figures> = {};
        for (let index = 0; index < servers.length; index++) {
          const server = servers[(index + round - 1) % servers.length] as BenchServer;
          figures[server.name] = await measureServer(server, connections, settings, work, load);
        }
        rounds.push({ connections, round, figures });
        process.stderr.write(`closed loop: ${roundRow(rounds.at(-1) as Round, servers)}\n`);
      }
    }
  } finally {
    if (settings.postgresUrl) await dropBenchSchemas(settings.postgresUrl);
  }
  return report(rounds, servers, settings);
}

function report(
  rounds: Round[],
  servers: BenchServer[],
  settings: BenchSettings,
): ClosedLoopResult {
  const at64 = rounds.filter((round) => round.connections === 64);
  const throughputRatio = median(at64.map((round) => ratio(round, DURABLE, BARE)));
  const p99Ratio = median(at64.map((round) => ratio(round, DURABLE, BARE, (f) => f.p99Ms)));
  const unexpected = rounds.reduce(
    (sum, round) => sum + Object.values(round.figures).reduce((n, f) => n + f.unexpected, 0),
    0,
  );
  const pass =
    throughputRatio >= MIN_THROUGHPUT_RATIO && p99Ratio <= MAX_P99_RATIO && unexpected === 0;
  const headings = servers.flatMap(({ name }) => [
    `${name} req/s`,
    `${name} p50 ms`,
    `${name} p99 ms`,
  ]);
  const lines = [
    `Closed loop (bench/closed-loop.ts): wrk -t${THREADS} -c{16,64} -d${settings.seconds}s --latency after a ${settings.warmupSeconds} s warm-up, ${settings.rounds} interleaved rounds. Medians of the rounds (min–max); "/ express" is the ratio to Express in the same round. Probot gets GitHub-signed issue_comment deliveries of the same size (x-hub-signature-256 checked by its middleware), the others the Hub's shared secret.`,
    "",
    "| connections | server | req/s | p50 ms | p99 ms | req/s / express | p99 / express | req/s / bare |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...CONNECTIONS.flatMap((connections) => {
      const at = rounds.filter((round) => round.connections === connections);
      return servers.map(({ name }) => {
        const of = (pick: (figures: Figures) => number) =>
          at.map((round) => pick(figuresOf(round, name)));
        const cells = [
          connections,
          name,
          spread(of((f) => f.requestsPerSecond)),
          spread(
            of((f) => f.p50Ms),
            2,
          ),
          spread(
            of((f) => f.p99Ms),
            2,
          ),
          spread(
            at.map((round) => ratio(round, name, EXPRESS)),
            2,
          ),
          spread(
            at.map((round) => ratio(round, name, EXPRESS, (f) => f.p99Ms)),
            2,
          ),
          spread(
            at.map((round) => ratio(round, name, BARE)),
            2,
          ),
        ];
        return `| ${cells.join(" | ")} |`;
      });
    }),
    "",
    "Every round:",
    "",
    `| connections | round | ${headings.join(" | ")} |`,
    `|${" ---: |".repeat(headings.length + 2)}`,
    ...rounds.map((round) => roundRow(round, servers)),
    "",
    ...(servers.some(({ name }) => name === SHIPPED_POSTGRES)
      ? [
          `Issue 21's PostgreSQL target at 64 connections: serve over PostgreSQL / serve over SQLite ${spread(
            at64.map((round) => ratio(round, SHIPPED_POSTGRES, SHIPPED)),
            2,
          )} (target ≥ 0.8).`,
          "",
        ]
      : []),
    `Issue 3's verdict at 64 connections (ingest-only over SQLite against bare, medians of ${settings.rounds} rounds): throughput ratio ${throughputRatio.toFixed(2)} (target ≥ ${MIN_THROUGHPUT_RATIO}), p99 ratio ${p99Ratio.toFixed(2)} (target ≤ ${MAX_P99_RATIO}), non-2xx answers ${unexpected}: ${pass ? "PASS" : "FAIL"}.`,
  ];
  return { lines, pass };
}

function ratio(
  round: Round,
  server: string,
  baseline: string,
  pick: (figures: Figures) => number = (f) => f.requestsPerSecond,
): number {
  return pick(figuresOf(round, server)) / pick(figuresOf(round, baseline));
}

function roundRow(round: Round, servers: BenchServer[]): string {
  const cells = [
    round.connections,
    round.round,
    ...servers.flatMap(({ name }) => {
      const figures = figuresOf(round, name);
      return [
        figures.requestsPerSecond.toFixed(0),
        figures.p50Ms.toFixed(2),
        figures.p99Ms.toFixed(2),
      ];
    }),
  ];
  return `| ${cells.join(" | ")} |`;
}

async function dropBenchSchemas(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE $1",
      [`hf_bridge_bench_${process.pid}_%`],
    );
    for (const { name } of rows) {
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(name)} CASCADE`);
    }
  } finally {
    await client.end();
  }
}
