import { setTimeout as sleepFor } from "node:timers/promises";
import { RetryLaterError } from "../jobs/job-errors.ts";
import { earliestWriteStart } from "../store/earliest-write-start.ts";
import type { WriteKind, WriteLimits, WriteSchedule } from "../store/write-schedule.ts";
import {
  CONTENT_WRITES_PER_HOUR,
  CONTENT_WRITES_PER_MINUTE,
  MIN_MS_BETWEEN_CONTENT_WRITES,
  MIN_MS_BETWEEN_WRITES,
} from "../text/github-limits.ts";

/**
 * Longer waits are not slept in a worker slot: the job goes back to the queue with a not-before time,
 * so one rate-limited installation cannot hold every worker.
 */
const MAX_INLINE_WAIT_MS = 10_000;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * Rate limits in a row double the lane's wait (GitHub: "wait exponentially longer"), up to this: a
 * storm that lasts is probed once per 10 minutes, and a recovered GitHub is not left idle for longer.
 */
export const MAX_RATE_LIMIT_BACKOFF_MS = 10 * MINUTE_MS;
/**
 * After a rate limit, one request goes alone to see whether the limit is over; the others try again
 * after this, by when it has normally been answered.
 */
const PROBE_RETRY_MS = 1_000;
/** Longer than any request's timeout: a probe unanswered by then is lost, and another may go. */
const PROBE_ANSWER_LIMIT_MS = 60_000;

interface WriteThrottleOptions {
  now?: () => number;
  /** Waits `ms`; may end early when `signal` aborts (the throttle checks the signal after it). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  maxInlineWaitMs?: number;
  limits?: Partial<WriteLimits>;
  /**
   * Several replicas on one store: every write also takes the lane in the shared schedule, so the
   * limits hold across the fleet. `holdMs` outlasts any request (its timeout and a margin).
   */
  fleet?: { schedule: WriteSchedule; holdMs: number };
}

export interface WriteThrottle {
  /**
   * Runs `write` alone on its lane once the lane's limits allow it. Throws RetryLaterError, without
   * running `write`, when that moment is more than `maxInlineWaitMs` away. When `signal` aborts
   * before `write` starts (its job lost or gave back its lease), the wait ends at once with the
   * signal's reason and `write` never runs; a write already started is left to finish.
   */
  run<T>(lane: string, kind: WriteKind, write: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Holds every write on the lane until `until` (epoch ms), e.g. after GitHub answered with a rate limit. */
  pause(lane: string, until: number, reason: string): void;
  /**
   * Called right before every request on the lane, reads included. Throws RetryLaterError, without
   * sending, while the lane is paused, or while the one request let through after a rate limit
   * (the probe) has not been answered.
   */
  admit(lane: string): LaneTicket;
  /**
   * Called with the outcome of every admitted request; a rate limit pauses the lane (see LaneAnswer).
   * Returns when the lane opens again (epoch ms) and why, or undefined when it is open.
   */
  settle(lane: string, ticket: LaneTicket, answer: LaneAnswer): LanePause | undefined;
}

export interface LanePause {
  until: number;
  reason: string;
}

/** An admitted request: when it was let through, and whether it probes a rate-limited lane. */
interface LaneTicket {
  at: number;
  probe: boolean;
}

export type LaneAnswer =
  /**
   * GitHub asked to wait until `until`. The lane waits that long, or twice its last wait when the
   * limits come in a row, whichever is longer; answers to requests sent before the current pause
   * belong to the same limit and do not grow it.
   */
  | { kind: "rate-limit"; until: number; reason: string }
  /** Any other answer from GitHub: the lane is not limited (any more). */
  | { kind: "answered" }
  /** A timeout or a dropped connection: says nothing about limits. */
  | { kind: "no-answer" };

interface LaneState {
  /** Settles when the write ahead of the next caller has finished: one write in flight per lane. */
  tail: Promise<void>;
  /**
   * Spacing counts from the end of the previous write: with one write in flight, that keeps requests
   * apart on GitHub's side too, however long the previous one travelled.
   */
  lastWriteEnd: number;
  lastContentEnd: number;
  /** Start times of content writes in the last hour, oldest first. */
  contentStarts: number[];
  pausedUntil: number;
  pauseReason: string;
  /** Rate-limit answers in a row, and the wait the last one imposed. */
  limitStreak: number;
  lastLimitWaitMs: number;
  /** When the current pause was set: answers to requests sent before it belong to the same limit. */
  pausedAt: number;
  /** When the probe of a rate-limited lane was let through, while its answer is awaited. */
  probeSince: number | undefined;
}

/**
 * GitHub's write limits per installation (or per token): one write in flight, spacing between writes
 * and between content-creating writes, and rolling per-minute and per-hour caps on content creation.
 * A lane is an installation id or a token identity; lanes do not share limits.
 */
export function createWriteThrottle(options: WriteThrottleOptions = {}): WriteThrottle {
  const now = options.now ?? (() => Date.now());
  const sleep =
    options.sleep ?? ((ms: number, signal?: AbortSignal) => sleepFor(ms, undefined, { signal }));
  const maxInlineWaitMs = options.maxInlineWaitMs ?? MAX_INLINE_WAIT_MS;
  const limits: WriteLimits = {
    msBetweenWrites: MIN_MS_BETWEEN_WRITES,
    msBetweenContentWrites: MIN_MS_BETWEEN_CONTENT_WRITES,
    contentWritesPerMinute: CONTENT_WRITES_PER_MINUTE,
    contentWritesPerHour: CONTENT_WRITES_PER_HOUR,
    ...options.limits,
  };
  const lanes = new Map<string, LaneState>();

  function laneState(lane: string): LaneState {
    let state = lanes.get(lane);
    if (state === undefined) {
      state = {
        tail: Promise.resolve(),
        lastWriteEnd: Number.NEGATIVE_INFINITY,
        lastContentEnd: Number.NEGATIVE_INFINITY,
        contentStarts: [],
        pausedUntil: Number.NEGATIVE_INFINITY,
        pauseReason: "",
        limitStreak: 0,
        lastLimitWaitMs: 0,
        pausedAt: Number.NEGATIVE_INFINITY,
        probeSince: undefined,
      };
      lanes.set(lane, state);
    }
    return state;
  }

  async function run<T>(
    lane: string,
    kind: WriteKind,
    write: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    signal?.throwIfAborted();
    const state = laneState(lane);
    const ahead = state.tail;
    let release = () => {};
    state.tail = new Promise((resolve) => {
      release = resolve;
    });
    let ourTurn = false;
    try {
      await untilAborted(ahead, signal);
      ourTurn = true;
      await waitFor(lane, earliestWriteStart(state, kind, now(), limits), signal);
      const token = options.fleet ? await claimFleetSlot(lane, kind, options.fleet, signal) : "";
      signal?.throwIfAborted();
      const startedAt = now();
      if (kind === "content") {
        state.contentStarts.push(startedAt);
        while ((state.contentStarts[0] ?? startedAt) <= startedAt - HOUR_MS) {
          state.contentStarts.shift();
        }
      }
      try {
        return await write();
      } finally {
        state.lastWriteEnd = now();
        if (kind === "content") state.lastContentEnd = state.lastWriteEnd;
        if (options.fleet) await releaseFleetSlot(lane, kind, token, state, options.fleet.schedule);
      }
    } finally {
      // A caller that gave up before its turn keeps its place: whoever follows waits for the write
      // ahead of it, so one write stays in flight per lane.
      if (ourTurn) release();
      else void ahead.then(release);
    }
  }

  /** Sleeps until `at` when that is near; a later start goes back to the queue instead. */
  async function waitFor(
    lane: string,
    { at, reason }: { at: number; reason: string },
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const wait = at - now();
    if (wait > maxInlineWaitMs) {
      throw new RetryLaterError(
        `GitHub writes for ${lane} wait until ${new Date(at).toISOString()}: ${reason}`,
        new Date(at),
      );
    }
    if (wait > 0) {
      await sleep(wait, signal).catch((error: unknown) => {
        signal?.throwIfAborted();
        throw error;
      });
    }
  }

  /** Asks the shared schedule until it grants the lane, waiting as it says (the same inline limit). */
  async function claimFleetSlot(
    lane: string,
    kind: WriteKind,
    fleet: NonNullable<WriteThrottleOptions["fleet"]>,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    for (;;) {
      signal?.throwIfAborted();
      const answer = await fleet.schedule.claim({
        lane,
        kind,
        limits,
        now: now(),
        holdMs: fleet.holdMs,
      });
      if (answer.granted) return answer.token;
      await waitFor(lane, answer, signal);
    }
  }

  /**
   * Records the write's end (and a rate limit it met) for every replica. A failure here is not the
   * write's: the write happened, and the slot frees itself when its hold lapses.
   */
  async function releaseFleetSlot(
    lane: string,
    kind: WriteKind,
    token: string,
    state: LaneState,
    schedule: WriteSchedule,
  ): Promise<void> {
    const paused = state.pausedUntil > now();
    await schedule
      .release({
        lane,
        token,
        kind,
        now: state.lastWriteEnd,
        ...(paused ? { pause: { until: state.pausedUntil, reason: state.pauseReason } } : {}),
      })
      .catch(() => undefined);
  }

  function pause(lane: string, until: number, reason: string): void {
    const state = laneState(lane);
    if (until > state.pausedUntil) {
      state.pausedUntil = until;
      state.pauseReason = reason;
    }
  }

  function admit(lane: string): LaneTicket {
    const state = laneState(lane);
    const at = now();
    if (state.pausedUntil > at) {
      throw new RetryLaterError(
        `GitHub requests for ${lane} wait until ${new Date(state.pausedUntil).toISOString()}: ${state.pauseReason}`,
        new Date(state.pausedUntil),
      );
    }
    if (state.limitStreak === 0) return { at, probe: false };
    if (state.probeSince !== undefined && at - state.probeSince < PROBE_ANSWER_LIMIT_MS) {
      throw new RetryLaterError(
        `GitHub requests for ${lane} wait for the answer to the first request after ${state.limitStreak} rate limit(s)`,
        new Date(at + PROBE_RETRY_MS),
      );
    }
    state.probeSince = at;
    return { at, probe: true };
  }

  function settle(lane: string, ticket: LaneTicket, answer: LaneAnswer): LanePause | undefined {
    const state = laneState(lane);
    if (ticket.probe) state.probeSince = undefined;
    const sameLimit = ticket.at <= state.pausedAt;
    if (answer.kind === "answered" && !sameLimit) {
      state.limitStreak = 0;
      state.lastLimitWaitMs = 0;
    }
    if (answer.kind === "rate-limit") {
      if (sameLimit) pause(lane, answer.until, answer.reason);
      else grow(state, lane, answer);
    }
    return state.pausedUntil > now()
      ? { until: state.pausedUntil, reason: state.pauseReason }
      : undefined;
  }

  function grow(
    state: LaneState,
    lane: string,
    answer: Extract<LaneAnswer, { kind: "rate-limit" }>,
  ): void {
    const at = now();
    state.limitStreak += 1;
    const grown =
      state.limitStreak === 1 ? 0 : Math.min(MAX_RATE_LIMIT_BACKOFF_MS, 2 * state.lastLimitWaitMs);
    const waitMs = Math.max(answer.until - at, grown);
    state.lastLimitWaitMs = waitMs;
    state.pausedAt = at;
    pause(
      lane,
      at + waitMs,
      state.limitStreak === 1
        ? answer.reason
        : `${answer.reason}; ${state.limitStreak} rate limits in a row, so waiting ${Math.round(waitMs / 1000)} s`,
    );
  }

  return { run, pause, admit, settle };
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
