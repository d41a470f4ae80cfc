import { describe, expect, it } from "vitest";
import {
  createWriteThrottle,
  type LaneAnswer,
  MAX_RATE_LIMIT_BACKOFF_MS,
} from "../../../src/github/write-throttle.ts";
import { RetryLaterError } from "../../../src/jobs/job-errors.ts";

const LANE = "installation:1";

/** A throttle on a clock that moves only when the test says so. */
function throttleAt(start = 1_000_000) {
  let now = start;
  const throttle = createWriteThrottle({ now: () => now, sleep: async () => undefined });
  return {
    throttle,
    now: () => now,
    advanceTo: (at: number) => {
      now = at;
    },
  };
}

const limited = (until: number, reason = "rate limit"): LaneAnswer => ({
  kind: "rate-limit",
  until,
  reason,
});

function deferral(attempt: () => unknown): RetryLaterError {
  try {
    attempt();
  } catch (error) {
    if (error instanceof RetryLaterError) return error;
    throw error;
  }
  throw new Error("expected a RetryLaterError, but the request was admitted");
}

describe("rate-limit back-off on a lane", () => {
  it("doubles the wait on limits in a row even when GitHub asks for 1 s each time, up to the cap", () => {
    const clock = throttleAt();
    const waits: number[] = [];
    for (let limit = 0; limit < 14; limit++) {
      const ticket = clock.throttle.admit(LANE);
      const pause = clock.throttle.settle(LANE, ticket, limited(clock.now() + 1_000));
      if (!pause) throw new Error("a rate limit left the lane open");
      waits.push(pause.until - clock.now());
      expect(deferral(() => clock.throttle.admit(LANE)).notBefore.getTime()).toBe(pause.until);
      clock.advanceTo(pause.until);
    }
    expect(waits.slice(0, 10)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000,
    ]);
    expect(waits.slice(10)).toEqual(Array(4).fill(MAX_RATE_LIMIT_BACKOFF_MS));
  });

  it("waits 60 s after a secondary limit without headers, then longer", () => {
    const clock = throttleAt();
    const first = clock.throttle.settle(
      LANE,
      clock.throttle.admit(LANE),
      limited(clock.now() + 60_000),
    );
    expect((first?.until ?? 0) - clock.now()).toBe(60_000);
    clock.advanceTo(first?.until ?? 0);
    const second = clock.throttle.settle(
      LANE,
      clock.throttle.admit(LANE),
      limited(clock.now() + 60_000),
    );
    expect((second?.until ?? 0) - clock.now()).toBe(120_000);
    expect(second?.reason).toMatch(/2 rate limits in a row, so waiting 120 s/);
  });

  it("lets one request through after a pause and holds the rest until it is answered", () => {
    const clock = throttleAt();
    const pause = clock.throttle.settle(
      LANE,
      clock.throttle.admit(LANE),
      limited(clock.now() + 1_000),
    );
    clock.advanceTo(pause?.until ?? 0);

    const probe = clock.throttle.admit(LANE);
    expect(probe.probe).toBe(true);
    const held = deferral(() => clock.throttle.admit(LANE));
    expect(held.message).toMatch(/wait for the answer to the first request after 1 rate limit/);
    expect(held.notBefore.getTime()).toBeGreaterThan(clock.now());

    // The probe got through: the limit is over, every request goes again.
    expect(clock.throttle.settle(LANE, probe, { kind: "answered" })).toBeUndefined();
    expect(clock.throttle.admit(LANE).probe).toBe(false);
    expect(clock.throttle.admit(LANE).probe).toBe(false);
  });

  it("counts answers to requests sent before a pause as the same limit", () => {
    const clock = throttleAt();
    const tickets = [clock.throttle.admit(LANE), clock.throttle.admit(LANE)];
    const [first, second] = tickets.map((ticket) =>
      clock.throttle.settle(LANE, ticket, limited(clock.now() + 1_000)),
    );
    expect((first?.until ?? 0) - clock.now()).toBe(1_000);
    expect(second?.until).toBe(first?.until);
  });

  it("keeps the streak through a request that got no answer, and starts over after a real answer", () => {
    const clock = throttleAt();
    const first = clock.throttle.settle(
      LANE,
      clock.throttle.admit(LANE),
      limited(clock.now() + 1_000),
    );
    clock.advanceTo(first?.until ?? 0);
    clock.throttle.settle(LANE, clock.throttle.admit(LANE), { kind: "no-answer" });
    const second = clock.throttle.settle(
      LANE,
      clock.throttle.admit(LANE),
      limited(clock.now() + 1_000),
    );
    expect((second?.until ?? 0) - clock.now()).toBe(2_000);

    clock.advanceTo(second?.until ?? 0);
    clock.throttle.settle(LANE, clock.throttle.admit(LANE), { kind: "answered" });
    const fresh = clock.throttle.settle(
      LANE,
      clock.throttle.admit(LANE),
      limited(clock.now() + 1_000),
    );
    expect((fresh?.until ?? 0) - clock.now()).toBe(1_000);
  });

  it("holds every request, reads included, until a primary limit's reset however far it is", () => {
    const clock = throttleAt();
    const reset = clock.now() + 50 * 60_000;
    clock.throttle.settle(LANE, clock.throttle.admit(LANE), limited(reset, "primary limit"));
    const held = deferral(() => clock.throttle.admit(LANE));
    expect(held.notBefore.getTime()).toBe(reset);
    expect(held.message).toContain("primary limit");
    // Another installation's lane is not limited.
    expect(clock.throttle.admit("installation:2").probe).toBe(false);
  });
});
