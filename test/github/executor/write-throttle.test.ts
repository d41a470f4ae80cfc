import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createWriteThrottle, type WriteThrottle } from "../../../src/github/write-throttle.ts";
import { RetryLaterError } from "../../../src/jobs/job-errors.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

function fakeClockThrottle(options: Parameters<typeof createWriteThrottle>[0] = {}): WriteThrottle {
  return createWriteThrottle({
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ...options,
  });
}

/** Records when each write started and how many ran at once. */
function recordingWrite() {
  const starts: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = async () => {
    starts.push(Date.now());
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // A write takes a while, so overlapping writes would show up in maxInFlight.
    await new Promise((resolve) => setTimeout(resolve, 200));
    inFlight -= 1;
  };
  return { starts, write, maxInFlight: () => maxInFlight };
}

function maxInWindow(starts: number[], windowMs: number): number {
  let max = 0;
  let first = 0;
  for (let last = 0; last < starts.length; last++) {
    while ((starts[last] ?? 0) - (starts[first] ?? 0) >= windowMs) first++;
    max = Math.max(max, last - first + 1);
  }
  return max;
}

/** Runs writes like the worker would: a RetryLaterError puts the write back until its not-before time. */
async function runThroughQueue(
  throttle: WriteThrottle,
  count: number,
  write: () => Promise<void>,
): Promise<{ deferrals: number }> {
  let deferrals = 0;
  const one = async (): Promise<void> => {
    for (;;) {
      try {
        await throttle.run("installation:1", "content", write);
        return;
      } catch (error) {
        if (!(error instanceof RetryLaterError)) throw error;
        deferrals++;
        await new Promise((resolve) => setTimeout(resolve, error.notBefore.getTime() - Date.now()));
      }
    }
  };
  const all = Promise.all(Array.from({ length: count }, one));
  let settled = false;
  void all.finally(() => {
    settled = true;
  });
  while (!settled) await vi.advanceTimersByTimeAsync(1_000);
  await all;
  return { deferrals };
}

describe("createWriteThrottle", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("spaces 50 queued content writes at least 3 s apart with one in flight", async () => {
    const throttle = fakeClockThrottle();
    const recorder = recordingWrite();
    await runThroughQueue(throttle, 50, recorder.write);

    expect(recorder.starts).toHaveLength(50);
    expect(recorder.maxInFlight()).toBe(1);
    const gaps = recorder.starts.slice(1).map((start, i) => start - (recorder.starts[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(3_000);
  });

  it("keeps plain writes 1 s apart and does not make them wait for the content spacing", async () => {
    const throttle = fakeClockThrottle();
    const starts: Array<[string, number]> = [];
    const runs = [
      throttle.run("lane", "content", async () => starts.push(["content", Date.now()])),
      throttle.run("lane", "write", async () => starts.push(["write", Date.now()])),
      throttle.run("lane", "content", async () => starts.push(["content", Date.now()])),
    ];
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(runs);
    const t0 = new Date("2026-01-01T00:00:00Z").getTime();
    expect(starts).toEqual([
      ["content", t0],
      ["write", t0 + 1_000],
      ["content", t0 + 3_000],
    ]);
  });

  it("never lets 600 queued creates exceed 80 per rolling minute or 500 per rolling hour", async () => {
    const throttle = fakeClockThrottle();
    const recorder = recordingWrite();
    const { deferrals } = await runThroughQueue(throttle, 600, recorder.write);

    expect(recorder.starts).toHaveLength(600);
    expect(maxInWindow(recorder.starts, MINUTE_MS)).toBeLessThanOrEqual(80);
    expect(maxInWindow(recorder.starts, HOUR_MS)).toBe(500);
    // The hourly cap is far beyond the inline wait, so the overflow went back to the queue.
    expect(deferrals).toBeGreaterThan(0);
  });

  it("enforces the per-minute cap when the spacing alone would allow more", async () => {
    const throttle = fakeClockThrottle({
      limits: { msBetweenWrites: 100, msBetweenContentWrites: 100 },
    });
    const recorder = recordingWrite();
    await runThroughQueue(throttle, 200, recorder.write);

    expect(recorder.starts).toHaveLength(200);
    expect(maxInWindow(recorder.starts, MINUTE_MS)).toBe(80);
  });

  it("keeps lanes independent", async () => {
    const throttle = fakeClockThrottle();
    const starts: number[] = [];
    const runs = [
      throttle.run("installation:1", "content", async () => starts.push(Date.now())),
      throttle.run("installation:2", "content", async () => starts.push(Date.now())),
    ];
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all(runs);
    expect(starts).toEqual([Date.now(), Date.now()]);
  });

  it("sends a paused lane back to the queue with the pause's end and reason, without writing", async () => {
    const throttle = fakeClockThrottle();
    const write = vi.fn(async () => "written");
    const pausedUntil = Date.now() + 30_000;
    throttle.pause("lane", pausedUntil, "secondary rate limit (retry-after 30 s)");

    const attempt = throttle.run("lane", "content", write);
    await expect(attempt).rejects.toThrow(RetryLaterError);
    await expect(attempt).rejects.toThrow(/secondary rate limit \(retry-after 30 s\)/);
    await attempt.catch((error: RetryLaterError) => {
      expect(error.notBefore.getTime()).toBe(pausedUntil);
    });
    expect(write).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(30_000);
    await expect(throttle.run("lane", "content", write)).resolves.toBe("written");
  });

  it("sleeps through a short pause instead of deferring", async () => {
    const throttle = fakeClockThrottle();
    const pausedUntil = Date.now() + 5_000;
    throttle.pause("lane", pausedUntil, "retry-after 5 s");
    let startedAt = 0;
    const run = throttle.run("lane", "write", async () => {
      startedAt = Date.now();
    });
    await vi.advanceTimersByTimeAsync(5_000);
    await run;
    expect(startedAt).toBe(pausedUntil);
  });

  it("frees the lane when a write fails", async () => {
    const throttle = fakeClockThrottle();
    const failing = throttle.run("lane", "write", async () => {
      throw new Error("boom");
    });
    await expect(failing).rejects.toThrow("boom");
    const next = throttle.run("lane", "write", async () => "next");
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(next).resolves.toBe("next");
  });

  it("ends the waits of an aborted caller at once, never runs its write, and keeps the lane's order", async () => {
    // A sleep on the fake clock that, like the default one, the signal cuts short.
    const throttle = fakeClockThrottle({
      sleep: (ms, signal) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, ms);
          signal?.addEventListener("abort", () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        }),
    });
    const { starts, write, maxInFlight } = recordingWrite();
    const released = new AbortController();
    const reason = new Error("job 7: given back to the queue at shutdown");
    const first = throttle.run("lane", "write", write);
    // Waits behind the first write, then for the spacing.
    const spacing = throttle.run("lane", "write", write, released.signal);
    const queued = throttle.run("lane", "write", write, released.signal);
    const after = throttle.run("lane", "write", write);
    const outcomes = Promise.allSettled([spacing, queued]);
    await vi.advanceTimersByTimeAsync(300);
    released.abort(reason);
    const [cut, cutInQueue] = await outcomes;
    expect(cut).toEqual({ status: "rejected", reason });
    expect(cutInQueue).toEqual({ status: "rejected", reason });
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all([first, after]);
    expect(vi.getTimerCount()).toBe(0);
    // Only the two callers that were not aborted wrote, one at a time and 1 s apart.
    expect(starts).toHaveLength(2);
    expect(maxInFlight()).toBe(1);
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(1_200);
    await expect(throttle.run("lane", "write", write, released.signal)).rejects.toBe(reason);
  });
});
