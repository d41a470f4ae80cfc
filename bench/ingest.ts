#!/usr/bin/env node
// `npm run bench`: every section of issue 21's benchmark in one run, each in its own module, writing
// bench/RESULTS.md with the command that produced it. BENCH_ONLY=section[,section] runs some sections
// and prints their report without writing RESULTS.md.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureClaimCost } from "./claim-cost.ts";
import { closedLoopSeconds, measureClosedLoop } from "./closed-loop.ts";
import { coldStartSeconds, measureColdStart } from "./cold-start.ts";
import { drainSeconds, measureDrain } from "./drain.ts";
import { instructionsSeconds, measureInstructions } from "./instructions.ts";
import { measureMemory, memorySeconds } from "./memory.ts";
import { measureOpenLoop, openLoopSeconds } from "./open-loop.ts";
import { type BenchSettings, readBenchSettings } from "./support/bench-settings.ts";
import { commentBody } from "./support/comment-body.ts";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

interface Section {
  name: string;
  seconds(settings: BenchSettings): number;
  /** Report lines; `template` is a Hub delivery with `__COMMENT_ID__` for wrk to fill in. */
  run(settings: BenchSettings, work: string, template: string): Promise<string[]>;
}

/** Issue 3's verdict, set by the closed loop when it runs; the run exits 1 when it fails. */
interface Verdict {
  pass: boolean;
}

function sections(verdict: Verdict): Section[] {
  return [
    {
      name: "closed-loop",
      seconds: closedLoopSeconds,
      run: async (settings, work, template) => {
        const result = await measureClosedLoop(settings, work, template);
        verdict.pass = result.pass;
        return result.lines;
      },
    },
    { name: "open-loop", seconds: openLoopSeconds, run: measureOpenLoop },
    // Claims are measured in this process against stores it fills itself (~20 s with 100k jobs).
    { name: "claim-cost", seconds: () => 20, run: () => measureClaimCost() },
    { name: "cold-start", seconds: coldStartSeconds, run: measureColdStart },
    { name: "memory", seconds: memorySeconds, run: measureMemory },
    { name: "drain", seconds: drainSeconds, run: (settings, work) => measureDrain(settings, work) },
    {
      name: "instructions",
      seconds: instructionsSeconds,
      run: (settings, work) => measureInstructions(settings, work),
    },
  ];
}

function chosen(all: Section[], only: string | undefined): Section[] {
  if (!only) return all;
  const names = only.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !all.some((section) => section.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_ONLY names no section ${unknown.join(", ")}; the sections are ${all.map(({ name }) => name).join(", ")}`,
    );
  }
  return all.filter((section) => names.includes(section.name));
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

/** The command as it may be written down: a password never reaches RESULTS.md. */
function commandOf(settings: BenchSettings): string {
  const postgres = settings.postgresUrl
    ? ` BENCH_POSTGRES_URL=${withoutPassword(settings.postgresUrl)}`
    : "";
  return `BENCH_SECONDS=${settings.seconds} BENCH_WARMUP_SECONDS=${settings.warmupSeconds} BENCH_ROUNDS=${settings.rounds} BENCH_OPEN_SECONDS=${settings.openSeconds} BENCH_AFTER_LOAD_SECONDS=${settings.afterLoadSeconds} BENCH_INSTRUCTION_REQUESTS=${settings.instructionRequests} BENCH_INSTRUCTION_ROUNDS=${settings.instructionRounds}${postgres} npm run bench`;
}

function withoutPassword(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed) return "(an unparseable URL)";
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

async function main(): Promise<void> {
  const settings = readBenchSettings(process.env);
  const verdict: Verdict = { pass: true };
  const only = process.env.BENCH_ONLY || undefined;
  const run = chosen(sections(verdict), only);
  if (run.some(({ name }) => name === "closed-loop" || name === "memory")) requireWrk();
  const expected = run.map((section) => ({
    name: section.name,
    seconds: section.seconds(settings),
  }));
  const total = expected.reduce((sum, { seconds }) => sum + seconds, 0);
  process.stderr.write(
    `bench: expected duration ~${(total / 60).toFixed(1)} min (${expected.map(({ name, seconds }) => `${name} ${Math.round(seconds)} s`).join(", ")})\n`,
  );
  const startedAt = performance.now();
  const work = mkdtempSync(join(tmpdir(), "hf-bridge-bench-"));
  const template = join(work, "comment.json");
  writeFileSync(template, commentBody("__COMMENT_ID__"));
  const lines: string[] = [];
  try {
    for (const section of run) {
      const sectionStart = performance.now();
      lines.push(...(await section.run(settings, work, template)), "");
      process.stderr.write(
        `bench: ${section.name} took ${((performance.now() - sectionStart) / 1000).toFixed(0)} s\n`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const report = lines.join("\n");
  process.stdout.write(`${report}\n`);
  process.stderr.write(
    `bench: took ${((performance.now() - startedAt) / 60_000).toFixed(1)} min\n`,
  );
  if (!only) writeResults(report, commandOf(settings));
  if (!verdict.pass) process.exitCode = 1;
}

function writeResults(report: string, command: string): void {
  const text = [
    "# Benchmark results",
    "",
    `Latest run: ${new Date().toISOString()} on ${process.platform} ${process.arch}, Node ${process.version}, bench/RESULTS.md written by the run itself (bench/README.md says what each section measures).`,
    "",
    "Command:",
    "",
    "```",
    command,
    "```",
    "",
    "Servers: bare = node:http reading the body and answering 200; express = the receiver Hub-webhook guides recommend (Express, express.json, constant-time secret check), storing nothing, the baseline of every ratio; probot = Probot 14's own webhook middleware (createNodeMiddleware) taking GitHub-signed deliveries of the same size, storing nothing; route only = the bridge's route with a store that keeps nothing; ingest-only = the bridge's route over the SQLite store (WAL, synchronous=FULL, group commit, every 202 on disk before it is sent), no worker; serve (shipped) = `hf-bridge serve` itself (worker on, dry-run, SQLite, log level info, its log read and dropped). The machine's other load moves absolute figures; compare ratios within a round.",
    "",
    report,
  ].join("\n");
  writeFileSync(join(BENCH_DIR, "RESULTS.md"), text);
}

await main();
