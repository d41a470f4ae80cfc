import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../src/hub/parse-retry-after.ts";
import { MAX_BACKOFF_MS, nextPollDelay } from "../../src/pollers/endpoints/next-poll-delay.ts";

const NOW = new Date("2025-03-01T12:00:00Z");

describe("nextPollDelay", () => {
  it("waits the interval, or 5 s while an endpoint is transitional", () => {
    expect(nextPollDelay({ intervalMs: 30_000, transitional: false, failures: 0 })).toBe(30_000);
    expect(nextPollDelay({ intervalMs: 30_000, transitional: true, failures: 0 })).toBe(5_000);
    expect(nextPollDelay({ intervalMs: 5_000, transitional: true, failures: 0 })).toBe(5_000);
  });

  it("doubles per failure up to the cap, and waits at least as long as Retry-After asks", () => {
    const delays = [1, 2, 3, 10].map((failures) =>
      nextPollDelay({ intervalMs: 30_000, transitional: false, failures }),
    );
    expect(delays).toStrictEqual([60_000, 120_000, 240_000, MAX_BACKOFF_MS]);
    expect(
      nextPollDelay({ intervalMs: 30_000, transitional: true, failures: 1, retryAfterMs: 300_000 }),
    ).toBe(300_000);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, and ignores what it cannot read", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter("Sat, 01 Mar 2025 12:01:30 GMT", NOW)).toBe(90_000);
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});
