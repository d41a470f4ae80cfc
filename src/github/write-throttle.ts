import { setTimeout as sleepFor } from "node:timers/promises";
import { RetryLaterError } from "../worker/job-errors.ts";
import {
  CONTENT_WRITES_PER_HOUR,
  CONTENT_WRITES_PER_MINUTE,
  MIN_MS_BETWEEN_CONTENT_WRITES,
  MIN_MS_BETWEEN_WRITES,
} from "./github-limits.ts";

/** "content" writes notify people (issue and comment creation) and count toward GitHub's content limits. */
export type WriteKind = "write" | "content";

/**
 * Longer waits are not slept in a worker slot: the job goes back to the queue with a not-before time,
 * so one rate-limited installation cannot hold every worker.
 */
export const MAX_INLINE_WAIT_MS = 10_000;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface WriteLimits {
  msBetweenWrites: number;
  msBetweenContentWrites: number;
  contentWritesPerMinute: number;
  contentWritesPerHour: number;
}

export interface WriteThrottleOptions {
  now?: () => number;
  /** Waits `ms`; may end early when `signal` aborts (the throttle checks the signal after it). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  maxInlineWaitMs?: number;
  limits?: Partial<WriteLimits>;
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
}

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
      const { at, reason } = earliestStart(state, kind, now(), limits);
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
      }
    } finally {
      // A caller that gave up before its turn keeps its place: whoever follows waits for the write
      // ahead of it, so one write stays in flight per lane.
      if (ourTurn) release();
      else void ahead.then(release);
    }
  }

  function pause(lane: string, until: number, reason: string): void {
    const state = laneState(lane);
    if (until > state.pausedUntil) {
      state.pausedUntil = until;
      state.pauseReason = reason;
    }
  }

  return { run, pause };
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

function earliestStart(
  state: LaneState,
  kind: WriteKind,
  now: number,
  limits: WriteLimits,
): { at: number; reason: string } {
  const candidates: Array<{ at: number; reason: string }> = [
    { at: now, reason: "no limit reached" },
    { at: state.pausedUntil, reason: state.pauseReason },
    { at: state.lastWriteEnd + limits.msBetweenWrites, reason: "spacing between writes" },
  ];
  if (kind === "content") {
    const starts = state.contentStarts;
    candidates.push({
      at: state.lastContentEnd + limits.msBetweenContentWrites,
      reason: "spacing between content-creating writes",
    });
    const minuteEdge = starts[starts.length - limits.contentWritesPerMinute];
    if (minuteEdge !== undefined) {
      candidates.push({
        at: minuteEdge + MINUTE_MS,
        reason: `${limits.contentWritesPerMinute} content-creating writes in the last minute`,
      });
    }
    const hourEdge = starts[starts.length - limits.contentWritesPerHour];
    if (hourEdge !== undefined) {
      candidates.push({
        at: hourEdge + HOUR_MS,
        reason: `${limits.contentWritesPerHour} content-creating writes in the last hour`,
      });
    }
  }
  return candidates.reduce((latest, candidate) => (candidate.at > latest.at ? candidate : latest));
}
