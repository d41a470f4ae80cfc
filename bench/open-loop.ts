// Open loop: a sender at a fixed rate (200 and 1,000 deliveries/s) timing each delivery from its
// intended send time, against the shipped serve, the ingest-only server and Express in interleaved
// rounds. `npm run bench` runs it (BENCH_ONLY=open-loop).
import { join } from "node:path";
import { type OpenLoopFigures, sendAtFixedRate } from "./open-loop-sender.ts";
import type { BenchSettings } from "./support/bench-settings.ts";
import { commentBody } from "./support/comment-body.ts";
import { median } from "./support/median.ts";
import { spread } from "./support/spread.ts";
import { startBenchServer } from "./support/start-bench-server.ts";
import { stopChild } from "./support/stop-child.ts";

const RATES = [200, 1_000];
const MAX_IN_FLIGHT = 512;
const EXPRESS = "express";

interface OpenLoopServer {
  name: string;
  script: string;
  args(work: string, id: number): string[];
}

const SERVERS: OpenLoopServer[] = [
  {
    name: "serve (shipped)",
    script: "shipped-serve-server.ts",
    args: (work, id) => [join(work, `open-serve-${id}.db`), join(work, `open-serve-${id}.yml`)],
  },
  {
    name: "ingest-only",
    script: "bridge-server.ts",
    args: (work, id) => [join(work, `open-bridge-${id}.db`)],
  },
  { name: EXPRESS, script: "express-server.ts", args: () => [] },
];

/** Seconds the section takes, for the estimate printed at the start. */
export function openLoopSeconds(settings: BenchSettings): number {
  const perRun = settings.warmupSeconds + settings.openSeconds + 2;
  return RATES.length * settings.rounds * SERVERS.length * perRun;
}

async function measure(
  server: OpenLoopServer,
  rate: number,
  settings: BenchSettings,
  work: string,
  id: number,
): Promise<OpenLoopFigures> {
  const { child, port } = await startBenchServer(server.script, server.args(work, id));
  try {
    const template = commentBody("__COMMENT_ID__");
    const run = (seconds: number, phase: string) =>
      sendAtFixedRate({
        url: `http://127.0.0.1:${port}/webhooks/huggingface`,
        rate,
        seconds,
        maxInFlight: MAX_IN_FLIGHT,
        headers: { "content-type": "application/json", "x-webhook-secret": "bench-secret" },
        body: (index) =>
          template.replace(
            "__COMMENT_ID__",
            `${phase}${id.toString(16).padStart(6, "0")}${index.toString(16).padStart(16, "0")}`,
          ),
      });
    if (settings.warmupSeconds > 0) await run(settings.warmupSeconds, "00");
    return await run(settings.openSeconds, "01");
  } finally {
    await stopChild(child);
  }
}

export async function measureOpenLoop(settings: BenchSettings, work: string): Promise<string[]> {
  const results = new Map<string, OpenLoopFigures[]>();
  let id = 0;
  for (const rate of RATES) {
    for (let round = 1; round <= settings.rounds; round++) {
      for (let index = 0; index < SERVERS.length; index++) {
        const server = SERVERS[(index + round - 1) % SERVERS.length] as OpenLoopServer;
        const figures = await measure(server, rate, settings, work, id++);
        const key = `${rate} ${server.name}`;
        results.set(key, [...(results.get(key) ?? []), figures]);
        process.stderr.write(
          `open loop: ${rate}/s round ${round} ${server.name}: p50 ${figures.p50Ms.toFixed(2)} ms, p99 ${figures.p99Ms.toFixed(2)} ms, failed ${figures.failed}, fell behind ${figures.fellBehind ? "yes" : "no"}\n`,
        );
      }
    }
  }
  const rows = RATES.flatMap((rate) => {
    const express = results.get(`${rate} ${EXPRESS}`) ?? [];
    return SERVERS.map(({ name }) => {
      const runs = results.get(`${rate} ${name}`) ?? [];
      const of = (pick: (figures: OpenLoopFigures) => number) => runs.map(pick);
      // Ratios within a round: run i of this server against run i of Express at the same rate.
      const toExpress = runs.map((figures, i) => figures.p99Ms / (express[i]?.p99Ms ?? Number.NaN));
      const behind = runs.filter((figures) => figures.fellBehind).length;
      const cells = [
        rate,
        name,
        spread(
          of((f) => f.p50Ms),
          2,
        ),
        spread(
          of((f) => f.p99Ms),
          2,
        ),
        spread(
          of((f) => f.maxMs),
          1,
        ),
        spread(toExpress, 2),
        spread(of((f) => f.failed)),
        `${behind} of ${runs.length}${behind ? ` (held by the cap ${median(of((f) => f.heldByCap)).toFixed(0)}, latest send ${median(of((f) => f.maxSendLagMs)).toFixed(0)} ms late, medians)` : ""}`,
      ];
      return `| ${cells.join(" | ")} |`;
    });
  });
  return [
    `Open loop (bench/open-loop.ts): ${RATES.join(" and ")} deliveries/s for ${settings.openSeconds} s after ${settings.warmupSeconds} s at the same rate, ${settings.rounds} interleaved rounds; latency from each delivery's intended send time (no coordinated omission), at most ${MAX_IN_FLIGHT} in flight. "Fell behind": rounds in which the sender could not keep its schedule (a send held by the cap, or one more than 20 ms late). Medians (min–max).`,
    "",
    "| deliveries/s | server | p50 ms | p99 ms | max ms | p99 / express | failed | fell behind |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows,
  ];
}
