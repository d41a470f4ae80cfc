import { describe, expect, it } from "vitest";
import { createGroupCommit } from "../../src/store/create-group-commit.ts";

function recordingCommit(options: { fail?: (items: number[]) => boolean } = {}) {
  const batches: number[][] = [];
  let running = 0;
  let overlapped = false;
  const commit = async (items: number[]) => {
    batches.push(items);
    running++;
    overlapped ||= running > 1;
    await new Promise((resolve) => setImmediate(resolve));
    running--;
    if (options.fail?.(items)) throw new Error(`disk full while writing ${items.join(",")}`);
    return items.map((item) => item * 10);
  };
  return { batches, commit, overlapped: () => overlapped };
}

/** A commit that settles only when the test releases it, oldest first. */
function heldCommit() {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const commit = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve) => releases.push(() => resolve(items)));
  };
  return { batches, commit, releaseOldest: () => releases.shift()?.(), releases };
}

describe("createGroupCommit", () => {
  it("commits items submitted in the same turn as one batch, results in order", async () => {
    const { batches, commit } = recordingCommit();
    const group = createGroupCommit({ maxBatch: 100, commit });
    const results = await Promise.all([1, 2, 3, 4].map((item) => group.submit(item)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it("splits at the cap and never runs two commits at once", async () => {
    const recorder = recordingCommit();
    const group = createGroupCommit({ maxBatch: 3, commit: recorder.commit });
    const results = await Promise.all(Array.from({ length: 8 }, (_, index) => group.submit(index)));
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
    expect(recorder.batches).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
    expect(recorder.overlapped()).toBe(false);
  });

  it("hands a queued writer the next batch while one commits, up to maxInFlight", async () => {
    const { batches, commit, releaseOldest, releases } = heldCommit();
    const group = createGroupCommit({ maxBatch: 100, maxInFlight: 2, commit });
    const settled = [group.submit(1)];
    await new Promise((resolve) => setImmediate(resolve));
    settled.push(group.submit(2));
    await new Promise((resolve) => setImmediate(resolve));
    settled.push(group.submit(3));
    await new Promise((resolve) => setImmediate(resolve));
    // Two batches are out; the third item waits for one of them to settle.
    expect(batches).toEqual([[1], [2]]);
    releaseOldest();
    await settled[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1], [2], [3]]);
    for (const release of releases.splice(0)) release();
    expect(await Promise.all(settled)).toEqual([1, 2, 3]);
  });

  it("gathers what arrives during a commit into the next batch", async () => {
    const { batches, commit } = recordingCommit();
    const group = createGroupCommit({ maxBatch: 100, commit });
    const first = group.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [group.submit(2), group.submit(3)];
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it("hands the writer the next batch before the settled batch's callers resume", async () => {
    const { batches, commit, releaseOldest } = heldCommit();
    const group = createGroupCommit({ maxBatch: 100, commit });
    const first = group.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const second = group.submit(2);
    releaseOldest();
    await first;
    // Answering the first batch's requests must not keep the writer waiting for the second.
    expect(batches).toEqual([[1], [2]]);
    releaseOldest();
    expect(await second).toBe(2);
  });

  it("rejects every item of a failed batch and keeps serving the next", async () => {
    const { commit } = recordingCommit({ fail: (items) => items.includes(2) });
    const group = createGroupCommit({ maxBatch: 100, commit });
    const failed = await Promise.allSettled([1, 2, 3].map((item) => group.submit(item)));
    expect(failed.map((outcome) => outcome.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect((failed[0] as PromiseRejectedResult).reason.message).toBe(
      "disk full while writing 1,2,3",
    );
    expect(await group.submit(4)).toBe(40);
  });

  it("drains: resolves only after every submitted item settled", async () => {
    const { commit } = recordingCommit();
    const group = createGroupCommit({ maxBatch: 2, commit });
    const settled: number[] = [];
    for (const item of [1, 2, 3, 4, 5])
      void group.submit(item).then((result) => settled.push(result));
    await group.drain();
    await Promise.resolve();
    expect(settled.sort((a, b) => a - b)).toEqual([10, 20, 30, 40, 50]);
  });
});
