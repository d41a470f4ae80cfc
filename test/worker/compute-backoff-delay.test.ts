import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeBackoffDelay } from "../../src/worker/compute-backoff-delay.ts";

describe("computeBackoffDelay", () => {
  it("doubles the ceiling per attempt up to the cap and scales it by the random draw", () => {
    const options = { baseMs: 1000, capMs: 5000 };
    expect(
      [1, 2, 3, 4, 30].map((attempt) => computeBackoffDelay(attempt, options, () => 0.999)),
    ).toStrictEqual([999, 1998, 3996, 4995, 4995]);
    expect(computeBackoffDelay(3, options, () => 0)).toBe(0);
  });

  it("always waits a whole number of milliseconds in [0, min(cap, base × 2^(attempt-1)))", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseMs, extraCapMs, draw) => {
          const capMs = baseMs + extraCapMs;
          const delay = computeBackoffDelay(attempt, { baseMs, capMs }, () => draw);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(Math.min(capMs, baseMs * 2 ** (attempt - 1)));
        },
      ),
    );
  });
});
