import type { Logger } from "pino";
import { buildLogExcerpt } from "../../checks/build-log-excerpt.ts";
import type {
  FollowedBuild,
  FollowedSpaces,
  SpaceBuildRegistry,
} from "../../checks/create-space-build-registry.ts";
import type { BridgeEvent, SpaceBuild } from "../../events/bridge-event.ts";
import {
  openSpaceStatusStream,
  type SpaceStatusStream,
} from "../../hub/open-space-status-stream.ts";
import { spaceBuildLogTail } from "../../hub/space-build-log-tail.ts";
import {
  SpaceRuntimeError,
  type SpaceRuntimeReading,
  spaceFetchRuntime,
} from "../../hub/space-fetch-runtime.ts";
import { classifySpaceStage } from "../../rules/classify-space-stage.ts";
import type { Store } from "../../store/store.ts";
import type { PollerClock } from "../endpoints/create-endpoint-poller.ts";
import { SPACE_FIRST_DELAY_MS, spacePollDelay } from "./space-poll-delay.ts";

type SpaceStageEvent = Extract<BridgeEvent, { kind: "space.stage-changed" }>;

/** How often the poller looks for Spaces whose turn has come; looking costs a store read, no request. */
const TICK_MS = 1_000;
/**
 * Right after a push the runtime can still describe the previous build as RUNNING; a RUNNING seen
 * before any other stage of this build is believed only once the build is this old.
 */
const STALE_RUNNING_WINDOW_MS = 30_000;
/**
 * The Hub sends keep-alives on an open stream; this long without a byte means the stream is dead
 * although its socket is not, and polling takes over until a new one is live.
 */
const STREAM_SILENCE_MS = 60_000;
/** A dropped stream is opened again after this, doubling per drop in a row up to the maximum. */
const STREAM_RETRY_BASE_MS = 2_000;
const STREAM_RETRY_MAX_MS = 60_000;
/** A refused stream (no access, or a Hub without it) is asked again this rarely; polling does the work. */
const STREAM_REFUSED_RETRY_MS = 5 * 60_000;

interface StreamState {
  stream: SpaceStatusStream | undefined;
  phase: "connecting" | "live" | "waiting";
  /** Poller-clock time of the phase's start (connecting) or of the last byte (live). */
  since: number;
  retryAt: number;
  drops: number;
  lastEventId: string | undefined;
}

export interface SpaceRuntimePollerOptions {
  store: Store;
  builds: SpaceBuildRegistry;
  fetch: typeof fetch;
  hubUrl: string;
  /** Needed for private Spaces; sent as a bearer token and nowhere else. */
  accessToken?: string;
  clock?: PollerClock;
  logger: Logger;
  /** Called with the events a poll queued, e.g. to wake the worker. */
  onEvents?: (events: BridgeEvent[]) => void;
  /** Called after each poll with its outcome, e.g. for the alarm on pollers that keep failing. */
  onPollOutcome?: (
    source: string,
    outcome: { ok: true } | { ok: false; error: string },
    at: Date,
  ) => void;
  /**
   * Follow building Spaces through the Hub's status stream, polling only while it is refused or
   * silent (default true).
   */
  streams?: boolean;
  /**
   * Set when other replicas share the store (PostgreSQL): each Space is then polled and streamed
   * only by the replica holding its lease (`space-poller:<owner/name>`), `holder` naming this one.
   * Unset (SQLite, one process), every followed Space is polled here, as without replicas.
   */
  lease?: { holder: string };
}

export interface SpacePollReport {
  space: string;
  ok: boolean;
  stage?: string;
  queued: number;
  nextDelayMs: number;
  error?: string;
}

export interface SpaceRuntimePoller {
  /** Polls the followed Spaces whose turn has come (all of them with `force`), once, now. */
  pollOnce(options?: { force?: boolean }): Promise<SpacePollReport[]>;
  /** Polls on each Space's own schedule until `stop`. */
  start(): void;
  /** Cancels the schedule and waits for a poll in flight. */
  stop(): Promise<void>;
}

interface SpaceSchedule {
  dueAt: number;
  delayMs: number;
  failures: number;
}

/**
 * How long a Space's lease lasts past each tick's renewal: several ticks, so a slow tick or a poll in
 * flight (runtime request, build log tail) does not lose it, and all another replica waits when the
 * holder died.
 */
const SPACE_LEASE_TTL_MS = 5_000;

/** The lease that makes one replica of several the follower of a Space. */
export function spacePollerLeaseName(space: string): string {
  return `space-poller:${space}`;
}

const SYSTEM_CLOCK: PollerClock = {
  now: () => new Date(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Follows the Space builds the check-run executor registered: one runtime request per Space per
 * turn (shared by every GitHub repo following it), a queued `space.stage-changed` event per stage
 * change, superseded and timed-out builds reported once, and nothing more once a stage is terminal.
 */
export function createSpaceRuntimePoller(options: SpaceRuntimePollerOptions): SpaceRuntimePoller {
  const { store, builds, logger } = options;
  const clock = options.clock ?? SYSTEM_CLOCK;
  const schedules = new Map<string, SpaceSchedule>();
  const streams = new Map<string, StreamState>();
  const useStreams = options.streams ?? true;
  let timer: unknown;
  let inFlight: Promise<unknown> | undefined;
  let stopped = true;
  // Polls and stream events take turns: both move the same builds along.
  let turn: Promise<unknown> = Promise.resolve();
  function inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = turn.then(work, work);
    turn = run.catch(() => undefined);
    return run;
  }

  const held = new Set<string>();
  /**
   * Whether this replica follows the Space now: always without `lease`, else while holding it. Asked
   * every tick (one small statement per followed Space), so a lease handed back is taken at once.
   */
  async function holdsSpace(space: string, now: Date): Promise<boolean> {
    const lease = options.lease;
    if (!lease) return true;
    try {
      const claim = await store.claimLease({
        name: spacePollerLeaseName(space),
        holder: lease.holder,
        ttlMs: SPACE_LEASE_TTL_MS,
        now,
      });
      if (claim.held) {
        if (!held.has(space)) logger.info({ space }, "Space poller lease taken");
        held.add(space);
        return true;
      }
    } catch (error) {
      // Without a lease nobody knows who follows the Space: wait for the store rather than poll beside another.
      logger.warn(
        { space, reason: error instanceof Error ? error.message : String(error) },
        "Space poller lease could not be claimed; polling waits for the store",
      );
    }
    if (held.delete(space)) logger.info({ space }, "Space poller lease lost");
    return false;
  }

  function pollOnce(force: boolean): Promise<SpacePollReport[]> {
    return inTurn(() => pollAll(force));
  }

  async function pollAll(force: boolean): Promise<SpacePollReport[]> {
    const now = clock.now();
    const events: SpaceStageEvent[] = [];
    try {
      const followed = await builds.read();
      await reportEndedBuilds(followed, now, events);
      const bySpace = groupCurrentBySpace(await builds.read());
      for (const space of schedules.keys()) if (!bySpace.has(space)) schedules.delete(space);
      for (const space of streams.keys()) if (!bySpace.has(space)) closeStream(space);
      const reports: SpacePollReport[] = [];
      for (const [space, current] of bySpace) {
        const schedule = schedules.get(space) ?? firstSchedule(current);
        schedules.set(space, schedule);
        // Another replica follows this Space (a forced poll is a test's or operator's, and asks anyway).
        if (!force && !(await holdsSpace(space, now))) {
          if (streams.has(space)) closeStream(space);
          // A takeover later polls at once, as a first poll does.
          schedules.delete(space);
          continue;
        }
        // A forced poll asks the runtime even while a stream follows the Space.
        if (useStreams && streamCovers(space, now.getTime()) && !force) continue;
        if (!force && schedule.dueAt > now.getTime()) continue;
        reports.push(await pollSpace(space, current, schedule, now, events));
      }
      return reports;
    } finally {
      if (events.length > 0) options.onEvents?.(events);
    }
  }

  async function reportEndedBuilds(
    followed: FollowedSpaces,
    now: Date,
    events: SpaceStageEvent[],
  ): Promise<void> {
    for (const [key, entry] of Object.entries(followed)) {
      for (const { build, by } of entry.superseded) {
        await queue(
          build,
          { stage: build.lastStage ?? "BUILDING", supersededBy: by },
          "superseded",
          now,
          events,
        );
        await builds.update(key, (latest) => ({
          ...latest,
          superseded: latest.superseded.filter((old) => old.build.checkRun !== build.checkRun),
        }));
      }
      const { current } = entry;
      if (current === undefined) continue;
      const age = now.getTime() - Date.parse(current.startedAt);
      if (age < current.timeoutMinutes * 60_000) continue;
      await queue(
        current,
        { stage: current.lastStage ?? "BUILDING", timedOutAfterMinutes: current.timeoutMinutes },
        "timed-out",
        now,
        events,
      );
      await forgetCurrent(key, current);
    }
  }

  async function pollSpace(
    space: string,
    followers: Array<[string, FollowedBuild]>,
    schedule: SpaceSchedule,
    now: Date,
    events: SpaceStageEvent[],
  ): Promise<SpacePollReport> {
    const before = events.length;
    try {
      const reading = await spaceFetchRuntime({
        fetch: options.fetch,
        hubUrl: options.hubUrl,
        space,
        now,
        ...(options.accessToken ? { accessToken: options.accessToken } : {}),
      });
      const changed = await applyReading(space, followers, reading, now, events);
      const nextDelayMs = spacePollDelay({
        previousDelayMs: schedule.delayMs,
        stageChanged: changed,
        failures: 0,
      });
      schedules.set(space, {
        dueAt: now.getTime() + nextDelayMs,
        delayMs: nextDelayMs,
        failures: 0,
      });
      options.onPollOutcome?.(`Space ${space}`, { ok: true }, now);
      return { space, ok: true, stage: reading.stage, queued: events.length - before, nextDelayMs };
    } catch (error) {
      const failures = schedule.failures + 1;
      const nextDelayMs = spacePollDelay({
        previousDelayMs: schedule.delayMs,
        stageChanged: false,
        failures,
        ...(error instanceof SpaceRuntimeError && error.retryAfterMs !== undefined
          ? { retryAfterMs: error.retryAfterMs }
          : {}),
      });
      schedules.set(space, {
        dueAt: now.getTime() + nextDelayMs,
        delayMs: schedule.delayMs,
        failures,
      });
      const message = error instanceof Error ? error.message : String(error);
      logger.warn({ space, failures, nextDelayMs, reason: message }, "Space runtime poll failed");
      options.onPollOutcome?.(`Space ${space}`, { ok: false, error: message }, now);
      return { space, ok: false, queued: events.length - before, nextDelayMs, error: message };
    }
  }

  /** Moves every build following `space` to the reading's stage; true when one changed. */
  async function applyReading(
    space: string,
    followers: Array<[string, FollowedBuild]>,
    reading: SpaceRuntimeReading,
    now: Date,
    events: SpaceStageEvent[],
  ): Promise<boolean> {
    let changed = false;
    let buildLog: SpaceStageEvent["buildLog"] | null = null;
    for (const [key, build] of followers) {
      if (reading.stage === build.lastStage) continue;
      const age = now.getTime() - Date.parse(build.startedAt);
      const stale =
        build.lastStage === undefined &&
        classifySpaceStage(reading.stage) === "success" &&
        age < STALE_RUNNING_WINDOW_MS;
      if (stale) continue;
      changed = true;
      // Read once per failure, however many repos follow the Space.
      if (buildLog === null) buildLog = await failedBuildLog(space, reading);
      await queue(
        build,
        {
          stage: reading.stage,
          ...(build.lastStage ? { previousStage: build.lastStage } : {}),
          ...(reading.errorMessage ? { errorMessage: reading.errorMessage } : {}),
          ...(buildLog ? { buildLog } : {}),
        },
        `${build.reported + 1}:${reading.stage}`,
        now,
        events,
      );
      if (classifySpaceStage(reading.stage) === "in-progress") {
        await builds.update(key, (latest) =>
          latest.current?.checkRun === build.checkRun
            ? {
                ...latest,
                current: { ...build, lastStage: reading.stage, reported: build.reported + 1 },
              }
            : latest,
        );
      } else {
        await forgetCurrent(key, build);
      }
    }
    return changed;
  }

  /** The end of a failed build's log, or undefined (not a failure, or the log could not be read). */
  async function failedBuildLog(
    space: string,
    reading: SpaceRuntimeReading,
  ): Promise<SpaceStageEvent["buildLog"]> {
    if (classifySpaceStage(reading.stage) !== "failure") return undefined;
    try {
      const lines = await spaceBuildLogTail({
        fetch: options.fetch,
        hubUrl: options.hubUrl,
        space,
        ...(options.accessToken ? { accessToken: options.accessToken } : {}),
      });
      if (lines.length === 0) return undefined;
      const excerpt = buildLogExcerpt(lines);
      return {
        excerpt: excerpt.text,
        lines: excerpt.lines,
        url: `${options.hubUrl.replace(/\/+$/, "")}/spaces/${space}?logs=build`,
      };
    } catch (error) {
      logger.warn(
        { space, reason: (error as Error).message },
        "the build log of a failed Space build could not be read; the check run says why without it",
      );
      return undefined;
    }
  }

  /**
   * Whether the Space's status stream follows it now, so polling can wait: live and not silent (one
   * still being opened does not count: polling keeps its schedule until the stream answers). Opens
   * one when none is open and its retry time has come.
   */
  function streamCovers(space: string, now: number): boolean {
    let state = streams.get(space);
    if (state === undefined || (state.phase === "waiting" && now >= state.retryAt)) {
      state = openStream(space, now, state);
    }
    if (state.phase === "live") {
      if (now - state.since < STREAM_SILENCE_MS) return true;
      logger.warn({ space }, "Space status stream went silent; polling the runtime meanwhile");
      state.stream?.close();
      wait(state, now, "dropped");
    }
    return false;
  }

  function openStream(space: string, now: number, previous?: StreamState): StreamState {
    const state: StreamState = {
      stream: undefined,
      phase: "connecting",
      since: now,
      retryAt: 0,
      drops: previous?.drops ?? 0,
      lastEventId: previous?.lastEventId,
    };
    streams.set(space, state);
    const current = () => streams.get(space) === state;
    state.stream = openSpaceStatusStream({
      fetch: options.fetch,
      hubUrl: options.hubUrl,
      space,
      ...(options.accessToken ? { accessToken: options.accessToken } : {}),
      ...(state.lastEventId ? { lastEventId: state.lastEventId } : {}),
      onOpen: () => {
        state.phase = "live";
        state.since = clock.now().getTime();
        state.drops = 0;
      },
      onActivity: () => {
        state.since = clock.now().getTime();
      },
      onReading: (reading, eventId) => {
        if (eventId !== undefined) state.lastEventId = eventId;
        void inTurn(() => applyStreamReading(space, reading)).catch((error: unknown) =>
          logger.error({ err: error, space }, "applying a Space status event failed"),
        );
      },
      onEnd: (end) => {
        if (!current()) return;
        logger.info({ space, reason: end.reason }, `Space status stream ${end.kind}; polling`);
        wait(state, clock.now().getTime(), end.kind);
      },
    });
    return state;
  }

  function wait(state: StreamState, now: number, why: "refused" | "dropped"): void {
    state.stream = undefined;
    state.phase = "waiting";
    if (why === "refused") state.retryAt = now + STREAM_REFUSED_RETRY_MS;
    else {
      state.drops += 1;
      state.retryAt = now + Math.min(STREAM_RETRY_MAX_MS, STREAM_RETRY_BASE_MS * 2 ** state.drops);
    }
  }

  function closeStream(space: string): void {
    streams.get(space)?.stream?.close();
    streams.delete(space);
  }

  async function applyStreamReading(space: string, reading: SpaceRuntimeReading): Promise<void> {
    const followers = groupCurrentBySpace(await builds.read()).get(space);
    if (!followers) {
      closeStream(space);
      return;
    }
    const events: SpaceStageEvent[] = [];
    try {
      await applyReading(space, followers, reading, clock.now(), events);
    } finally {
      if (events.length > 0) options.onEvents?.(events);
    }
    // Nothing more to follow once the stage is terminal.
    if (classifySpaceStage(reading.stage) !== "in-progress") closeStream(space);
  }

  /** Records the event durably (once per dedupe key), before the registry moves on. */
  async function queue(
    build: FollowedBuild,
    change: Omit<SpaceStageEvent, "kind" | "repo" | "build">,
    step: string,
    now: Date,
    events: SpaceStageEvent[],
  ): Promise<void> {
    const event: SpaceStageEvent = {
      kind: "space.stage-changed",
      repo: build.repo,
      ...change,
      build: spaceBuildOf(build),
    };
    const result = await store.recordDelivery({
      source: "space-poller",
      receivedAt: now,
      dedupeKey: `space-build:${build.checkRun}:${step}`,
      body: JSON.stringify({ space: build.repo.name, hubSha: build.hubSha, ...change }),
      headers: {},
      disposition: "queued",
      event,
    });
    if (result.status === "accepted") events.push(event);
  }

  function forgetCurrent(key: string, build: FollowedBuild): Promise<void> {
    return builds.update(key, (latest) =>
      latest.current?.checkRun === build.checkRun ? { superseded: latest.superseded } : latest,
    );
  }

  function tick(): void {
    timer = undefined;
    inFlight = pollOnce(false)
      .catch((error: unknown) => logger.error({ err: error }, "Space runtime poller failed"))
      .finally(() => {
        inFlight = undefined;
        if (!stopped) timer = clock.setTimeout(tick, TICK_MS);
      });
  }

  return {
    pollOnce: (pollOptions) => pollOnce(pollOptions?.force ?? false),
    start() {
      if (!stopped) return;
      stopped = false;
      timer = clock.setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      for (const space of [...streams.keys()]) closeStream(space);
      await inFlight;
      await turn;
      // Handed back at once, so another replica need not wait for the expiry.
      const lease = options.lease;
      if (lease) {
        await Promise.allSettled(
          [...held].map((space) => store.releaseLease(spacePollerLeaseName(space), lease.holder)),
        );
        held.clear();
      }
    },
  };
}

function firstSchedule(followers: Array<[string, FollowedBuild]>): SpaceSchedule {
  const started = Math.min(...followers.map(([, build]) => Date.parse(build.startedAt)));
  return { dueAt: started + SPACE_FIRST_DELAY_MS, delayMs: SPACE_FIRST_DELAY_MS, failures: 0 };
}

function groupCurrentBySpace(
  followed: FollowedSpaces,
): Map<string, Array<[string, FollowedBuild]>> {
  const groups = new Map<string, Array<[string, FollowedBuild]>>();
  for (const [key, entry] of Object.entries(followed)) {
    if (entry.current === undefined) continue;
    const space = entry.current.repo.name;
    groups.set(space, [...(groups.get(space) ?? []), [key, entry.current]]);
  }
  return groups;
}

function spaceBuildOf(build: FollowedBuild): SpaceBuild {
  const { github, checkRun, hubRef, hubSha, githubSha, startedAt } = build;
  return { github, checkRun, hubRef, hubSha, githubSha, startedAt };
}
