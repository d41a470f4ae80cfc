import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, expect, it } from "vitest";
import { createWriteThrottle, type WriteThrottle } from "../../src/github/write-throttle.ts";
import { RetryLaterError } from "../../src/jobs/job-errors.ts";
import { createPostgresStore } from "../../src/store/postgres/create-postgres-store.ts";
import type { Store } from "../../src/store/store.ts";
import type { WriteSchedule } from "../../src/store/write-schedule.ts";
import { describeOnPostgres } from "../support/describe-on-postgres.ts";

/** GitHub's limits scaled down a hundredfold, so a schedule of many writes takes a second. */
const LIMITS = {
  msBetweenWrites: 10,
  msBetweenContentWrites: 30,
  contentWritesPerMinute: 80,
  contentWritesPerHour: 500,
};
/** The lane the spacing test writes on; each other test takes its own. */
const LANE = "installation:42";

await describeOnPostgres("the fleet's GitHub write schedule on PostgreSQL", ({ url, schema }) => {
  const stores: Store[] = [];

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  /** A replica: its own store connection and its own throttle, sharing the schema's schedule. */
  async function replica(
    holdMs = 5_000,
  ): Promise<{ throttle: WriteThrottle; schedule: WriteSchedule }> {
    const store = await createPostgresStore({ connectionString: url, schema });
    stores.push(store);
    const schedule = store.writeSchedule;
    if (!schedule) throw new Error("a PostgreSQL store keeps a write schedule");
    return {
      schedule,
      throttle: createWriteThrottle({ limits: LIMITS, fleet: { schedule, holdMs } }),
    };
  }

  it("keeps one write in flight on a lane across replicas, spaced as GitHub asks", async () => {
    const replicas = await Promise.all([replica(), replica(), replica()]);
    const spans: Array<{ start: number; end: number; kind: string }> = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const write = (kind: "write" | "content") => async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const start = performance.now();
      await sleep(2);
      spans.push({ start, end: performance.now(), kind });
      inFlight -= 1;
    };
    await Promise.all(
      Array.from({ length: 30 }, (_, index) => {
        const kind = index % 3 === 0 ? "write" : "content";
        const { throttle } = replicas[index % replicas.length] as { throttle: WriteThrottle };
        return throttle.run(LANE, kind, write(kind));
      }),
    );
    spans.sort((a, b) => a.start - b.start);
    expect(spans).toHaveLength(30);
    expect(mostInFlight).toBe(1);
    const gaps = spans.slice(1).map((span, index) => span.start - (spans[index]?.end ?? 0));
    // A millisecond of rounding: the schedule counts in Date.now() milliseconds.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(LIMITS.msBetweenWrites - 1);
    const content = spans.filter((span) => span.kind === "content");
    const contentGaps = content
      .slice(1)
      .map((span, index) => span.start - (content[index]?.end ?? 0));
    expect(Math.min(...contentGaps)).toBeGreaterThanOrEqual(LIMITS.msBetweenContentWrites - 1);
  });

  it("lets another replica write once a dead holder's slot has lapsed", async () => {
    const [dead, alive] = await Promise.all([replica(), replica()]);
    const lane = "installation:dead-holder";
    const claimed = await dead.schedule.claim({
      lane,
      kind: "write",
      limits: LIMITS,
      now: Date.now(),
      holdMs: 300,
    });
    expect(claimed.granted).toBe(true);
    // The holder never releases (SIGKILLed); the other replica waits for the hold to lapse.
    const startedAt = Date.now();
    await alive.throttle.run(lane, "write", async () => undefined);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(280);
  });

  it("holds every replica's writes after a rate limit one of them met", async () => {
    const [first, second] = await Promise.all([replica(), replica()]);
    const lane = "installation:limited";
    const until = Date.now() + 60_000;
    await first.throttle.run(lane, "write", async () => {
      first.throttle.pause(lane, until, "GitHub secondary rate limit (403, retry-after 60 s)");
    });
    const refused = await second.throttle
      .run(lane, "write", async () => "sent")
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RetryLaterError);
    expect((refused as RetryLaterError).message).toContain("secondary rate limit");
    const [record] = (await second.schedule.listLanes(Date.now())).filter(
      (row) => row.lane === lane,
    );
    expect(record?.pausedUntil).toBe(until);
  });

  it("counts a thread's writes over every replica", async () => {
    const [first, second] = await Promise.all([replica(), replica()]);
    const thread = "hub-discussion:repo:3";
    const now = Date.now();
    await first.schedule.countThreadWrites(thread, now - 3_600_000, { at: now });
    await second.schedule.countThreadWrites(thread, now - 3_600_000, { at: now + 1 });
    expect(await first.schedule.countThreadWrites(thread, now - 3_600_000)).toBe(2);
    // Writes older than the window are neither counted nor kept.
    expect(await second.schedule.countThreadWrites(thread, now, { at: now + 2 })).toBe(2);
  });
});
