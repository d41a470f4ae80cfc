// Drain rate: the shipped serve (dry-run) working off a backlog of 2,000 and of 100,000 queued jobs,
// in rounds, each from a copy of the same seeded store. `npm run bench` runs it (BENCH_ONLY=drain).
import { copyFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import type { BenchSettings } from "./support/bench-settings.ts";
import { commentBody } from "./support/comment-body.ts";
import { firstAnswer } from "./support/first-answer.ts";
import { freePort } from "./support/free-port.ts";
import { postHubComment } from "./support/post-hub-comment.ts";
import { spread } from "./support/spread.ts";
import { startServe } from "./support/start-serve.ts";
import { stopChild } from "./support/stop-child.ts";

/** The longest stretch of a drain that is measured (a 100,000-job backlog is not drained to the end). */
const DRAIN_WINDOW_MS = 8_000;
/** How often the done count is read during a drain; each read is one count over the jobs table. */
const DRAIN_POLL_MS = 50;
/** A worker that has not done its warm-up jobs by then is stuck, not slow. */
const DRAIN_START_LIMIT_MS = 60_000;
const BACKLOGS = [2_000, 100_000];

/** Seconds the section takes, for the estimate printed at the start. */
export function drainSeconds(settings: BenchSettings): number {
  return 10 + settings.rounds * (3 + DRAIN_WINDOW_MS / 1000 + 3);
}

/**
 * A migrated store holding `backlog` queued copies of one real delivery and its job, each delivery
 * with its own dedupe key. The schema and the job's event come from the bridge itself: a first start
 * migrates the file and stores one delivery.
 */
async function seedStore(database: string, backlog: number): Promise<void> {
  const port = await freePort();
  const bridge = startServe(port, database);
  try {
    await firstAnswer(
      () => postHubComment(port, "seedfirst00000000000000"),
      process.hrtime.bigint(),
      bridge,
    );
  } finally {
    await stopChild(bridge);
  }
  const db = new DatabaseSync(database);
  // Copied as stored (the event is packed), so the backlog's jobs are read like the ingested one.
  const { event, event_packed } = db
    .prepare("SELECT event, event_packed FROM jobs LIMIT 1")
    .get() as { event: string; event_packed: Uint8Array | null };
  const now = Date.now();
  db.exec("BEGIN");
  db.prepare(`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
    INSERT INTO deliveries (source, received_at, dedupe_key, dedupe_hash, body, headers, disposition, event_kind)
    SELECT 'hub', :now, 'seed:' || i, i, :body, '{}', 'queued', 'comment.created' FROM n`).run({
    count: backlog,
    now,
    body: commentBody("seed0000000000000000000000"),
  });
  db.prepare(`
    INSERT INTO jobs (delivery_id, state, event, event_packed, not_before, updated_at)
    SELECT id, 'queued', :event, :eventPacked, :now, :now FROM deliveries WHERE dedupe_key LIKE 'seed:%'`).run(
    {
      event,
      eventPacked: event_packed,
      now,
    },
  );
  db.exec("COMMIT");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
}

/** Jobs done before the window opens, the same for every backlog: module loading, JIT warm-up. */
const DRAIN_WARMUP_JOBS = 200;

/**
 * Jobs/s from the DRAIN_WARMUP_JOBS-th done job until 90 % of the backlog is done, for at most
 * DRAIN_WINDOW_MS: the start (module loading, JIT warm-up, the first poll) and the last stragglers stay
 * out, so a 2,000-job backlog drained in a second is measured as well as a 100,000-job one.
 */
async function steadyDrainRate(countDone: () => number, backlog: number): Promise<number> {
  const from = DRAIN_WARMUP_JOBS;
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

async function drainRate(seeded: string, database: string, backlog: number): Promise<number> {
  copyFileSync(seeded, database);
  const bridge = startServe(await freePort(), database);
  try {
    const reader = new DatabaseSync(database, { readOnly: true });
    try {
      const done = reader.prepare("SELECT count(*) AS n FROM jobs WHERE state = 'done'");
      return await steadyDrainRate(() => (done.get() as { n: number }).n, backlog);
    } finally {
      reader.close();
    }
  } finally {
    await stopChild(bridge);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${database}${suffix}`, { force: true });
  }
}

export async function measureDrain(settings: BenchSettings, work: string): Promise<string[]> {
  const seeded = new Map<number, string>();
  for (const backlog of BACKLOGS) {
    const file = join(work, `drain-seed-${backlog}.db`);
    await seedStore(file, backlog);
    seeded.set(backlog, file);
  }
  const rates = new Map<number, number[]>(BACKLOGS.map((backlog) => [backlog, []]));
  for (let round = 0; round < settings.rounds; round++) {
    // Alternate which backlog goes first, as the other sections rotate their servers.
    const order = round % 2 === 0 ? BACKLOGS : [...BACKLOGS].reverse();
    for (const backlog of order) {
      const rate = await drainRate(
        seeded.get(backlog) as string,
        join(work, `drain-${backlog}-${round}.db`),
        backlog,
      );
      rates.get(backlog)?.push(rate);
      process.stderr.write(
        `drain: ${backlog} queued, round ${round + 1}: ${rate.toFixed(0)} jobs/s\n`,
      );
    }
  }
  const [small, large] = BACKLOGS.map((backlog) => rates.get(backlog) ?? []) as [
    number[],
    number[],
  ];
  const ratios = large.map((rate, i) => rate / (small[i] ?? Number.NaN));
  const line = `Drain (bench/drain.ts), dry-run serve, jobs/s from the ${DRAIN_WARMUP_JOBS}th job done to 90 % of the backlog (at most ${DRAIN_WINDOW_MS / 1000} s of it), ${settings.rounds} rounds, median (min–max): ${spread(small)} with ${BACKLOGS[0]} queued, ${spread(large)} with ${BACKLOGS[1]} queued (${spread(ratios, 2)} of the 2k rate; targets ≥ 2,000 jobs/s and within 20 %).`;
  return [line];
}
