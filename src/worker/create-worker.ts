import type { Logger } from "pino";
import type { BridgeConfig } from "../config/config-schema.ts";
import type { PlannedEffect } from "../effects/effect.ts";
import type { Executor } from "../jobs/executor.ts";
import { JobReleasedError } from "../jobs/job-errors.ts";
import type { Job, Store } from "../store/store.ts";
import { type BackoffOptions, computeBackoffDelay } from "./compute-backoff-delay.ts";
import { keepLease } from "./keep-lease.ts";
import { type PrepareEvent, runJob } from "./run-job.ts";
import type { FailurePolicy } from "./settle-failed-job.ts";

/**
 * The end of the grace left for requests already sent when the waits were cancelled: their answers
 * are recorded while the job is still held, instead of being lost (and sent again) after release.
 */
const IN_FLIGHT_ALLOWANCE_MS = 1_000;
/**
 * Work queued less than this long ago means more is probably coming (the Hub sends a push's or a
 * busy thread's deliveries in a burst); after this long without any, the burst is over.
 */
const INGEST_QUIET_MS = 1_000;

export interface WorkerOptions {
  store: Store;
  config: BridgeConfig;
  executor: Executor<PlannedEffect>;
  logger: Logger;
  /** Names this worker in the jobs it leases, for operators reading the store. */
  workerId: string;
  /**
   * How long a claimed job stays ours without a heartbeat; the worker renews it while the job runs,
   * so only a dead or stalled worker's jobs are taken over, this long after its last renewal.
   */
  leaseMs: number;
  /** Attempts (the first included) before an ordinary error dead-letters the job. */
  maxAttempts: number;
  /** `random` returns a number in [0, 1); injected so tests get exact delays. */
  backoff: BackoffOptions & { random?: () => number };
  /** How often to look for due jobs when nobody calls `wake()`. */
  pollIntervalMs: number;
  /** Jobs run at the same time. */
  concurrency: number;
  /**
   * Jobs run at the same time while work keeps being queued (a `wake()` within the last
   * INGEST_QUIET_MS), so a burst's deliveries are acknowledged first and its jobs are done after:
   * the HTTP edge and the worker share the CPU and the store's writer. Default `concurrency`.
   */
  concurrencyWhileQueueing?: number;
  /** The Hub's web address (HF_ENDPOINT) that planned links point at; default https://huggingface.co. */
  hubUrl?: string;
  /** The clock for claims and retry times; injected so tests can jump past a lease or a backoff. */
  now?: () => Date;
  /** See JobContext.prepareEvent (authors' Hub usernames). */
  prepareEvent?: PrepareEvent;
}

export interface Worker {
  start(): void;
  /**
   * Looks for work now instead of at the next poll, e.g. right after a delivery was queued; until the
   * queueing has been quiet for INGEST_QUIET_MS, at most `concurrencyWhileQueueing` jobs run.
   */
  wake(): void;
  /**
   * Stops claiming and lets running jobs finish. Shortly before `graceMs` is over the rest stop
   * writing (throttle waits end, nothing new is sent; requests already sent may still be answered
   * and recorded), and by `graceMs` they are given back to the queue.
   */
  stop(graceMs: number): Promise<void>;
}

interface RunningJob {
  job: Job;
  /** Aborted, with the reason, when the job may no longer write. */
  controller: AbortController;
  stopRenewing: () => void;
  finished: Promise<void>;
}

export function createWorker(options: WorkerOptions): Worker {
  checkOptions(options);
  const { store, config, executor, logger, workerId, leaseMs, concurrency, pollIntervalMs } =
    options;
  const now = options.now ?? (() => new Date());
  const random = options.backoff.random ?? Math.random;
  const policy: FailurePolicy = {
    maxAttempts: options.maxAttempts,
    retryDelayMs: (attempts) => computeBackoffDelay(attempts, options.backoff, random),
    now,
  };
  const whileQueueing = options.concurrencyWhileQueueing ?? concurrency;
  const log = logger.child({ workerId });
  const running = new Map<number, RunningJob>();
  let lastQueuedAt = Number.NEGATIVE_INFINITY;
  let phase: "new" | "running" | "stopping" | "stopped" = "new";
  let pollTimer: NodeJS.Timeout | undefined;
  let claiming: Promise<void> | undefined;
  let claimAgain = false;

  function slots(): number {
    return now().getTime() - lastQueuedAt < INGEST_QUIET_MS ? whileQueueing : concurrency;
  }

  function fill(): void {
    if (phase !== "running") return;
    if (claiming) {
      // A claim is under way; it looks again when it ends, so nothing queued meanwhile is missed.
      claimAgain = true;
      return;
    }
    clearTimeout(pollTimer);
    pollTimer = undefined;
    claiming = claimUntilFull().finally(() => {
      claiming = undefined;
      if (phase !== "running") return;
      if (claimAgain) {
        claimAgain = false;
        fill();
      } else if (running.size < slots()) {
        pollTimer = setTimeout(fill, pollIntervalMs);
      }
    });
  }

  async function claimUntilFull(): Promise<void> {
    // One claim first, so an idle poll asks once; once it finds work, every free slot at once: the
    // claims travel together, and SQLite commits them as one.
    let width = 1;
    for (let free = slots() - running.size; phase === "running" && free > 0; ) {
      claimAgain = false;
      const claims = await Promise.allSettled(
        Array.from({ length: Math.min(width, free) }, () =>
          store.claimJob({ workerId, leaseMs, now: now() }),
        ),
      );
      const jobs: Job[] = [];
      let failure: unknown;
      let queueEmpty = false;
      for (const claim of claims) {
        if (claim.status === "rejected") failure ??= claim.reason;
        else if (claim.value) jobs.push(claim.value);
        else queueEmpty = true;
      }
      if (phase !== "running") {
        await Promise.all(jobs.map(giveBack));
        return;
      }
      for (const job of jobs) launch(job);
      if (failure !== undefined) {
        log.error({ err: failure }, "claiming a job failed; trying again at the next poll");
        return;
      }
      if (queueEmpty) return;
      width = concurrency;
      free = slots() - running.size;
    }
  }

  function launch(job: Job): void {
    const controller = new AbortController();
    const jobLog = log.child({
      jobId: job.id,
      deliveryId: job.deliveryId,
      eventKind: job.event.kind,
    });
    const stopRenewing = keepLease({
      job,
      store,
      leaseMs,
      now,
      log: jobLog,
      onLost: (reason) => controller.abort(reason),
    });
    const finished = runJob(job, {
      store,
      config,
      executor,
      log: jobLog,
      policy,
      signal: controller.signal,
      ...(options.hubUrl ? { hubUrl: options.hubUrl } : {}),
      ...(options.prepareEvent ? { prepareEvent: options.prepareEvent } : {}),
    })
      .catch((error: unknown) => jobLog.error({ err: error }, "job runner failed unexpectedly"))
      .finally(() => {
        stopRenewing();
        running.delete(job.id);
        fill();
      });
    running.set(job.id, { job, controller, stopRenewing, finished });
  }

  /** Resolves when every entry's runner has finished, or after `ms`, whichever is first. */
  async function waitFor(entries: RunningJob[], ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const over = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    await Promise.race([Promise.all(entries.map((entry) => entry.finished)), over]);
    clearTimeout(timer);
  }

  async function giveBack(job: Job): Promise<void> {
    try {
      await store.releaseJob(job);
      log.info({ jobId: job.id }, "job given back to the queue at shutdown");
    } catch (error) {
      // A lost lease means the job already finished or moved on; any other failure ends with the lease.
      log.warn({ err: error, jobId: job.id }, "could not give the job back; its lease will expire");
    }
  }

  return {
    start() {
      if (phase !== "new")
        throw new Error(`worker ${workerId} was already started; create a new one`);
      phase = "running";
      log.info({ concurrency, pollIntervalMs }, "worker started");
      fill();
    },

    wake() {
      lastQueuedAt = now().getTime();
      fill();
    },

    async stop(graceMs) {
      if (phase === "stopping" || phase === "stopped") return;
      phase = phase === "new" ? "stopped" : "stopping";
      clearTimeout(pollTimer);
      pollTimer = undefined;
      await claiming;
      const allowanceMs = Math.min(IN_FLIGHT_ALLOWANCE_MS, graceMs);
      await waitFor([...running.values()], graceMs - allowanceMs);
      const unfinished = [...running.values()];
      for (const entry of unfinished) entry.controller.abort(new JobReleasedError(entry.job.id));
      await waitFor(unfinished, allowanceMs);
      // Every aborted job goes back, finished runner or not: an aborted runner records nothing.
      for (const entry of unfinished) entry.stopRenewing();
      await Promise.all(unfinished.map((entry) => giveBack(entry.job)));
      phase = "stopped";
      log.info({ released: unfinished.length }, "worker stopped");
    },
  };
}

function checkOptions(options: WorkerOptions): void {
  const positive: Array<[string, number]> = [
    ["leaseMs", options.leaseMs],
    ["maxAttempts", options.maxAttempts],
    ["pollIntervalMs", options.pollIntervalMs],
    ["concurrency", options.concurrency],
    ["concurrencyWhileQueueing", options.concurrencyWhileQueueing ?? options.concurrency],
  ];
  for (const [name, value] of positive) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `worker ${name} ${JSON.stringify(value)} is invalid; use a whole number of 1 or more`,
      );
    }
  }
  if ((options.concurrencyWhileQueueing ?? 0) > options.concurrency) {
    throw new Error(
      `worker concurrencyWhileQueueing ${options.concurrencyWhileQueueing} is more than concurrency ${options.concurrency}; use at most ${options.concurrency}, or raise concurrency`,
    );
  }
  const { baseMs, capMs } = options.backoff;
  if (!Number.isFinite(baseMs) || baseMs < 0 || !Number.isFinite(capMs) || capMs < baseMs) {
    throw new Error(
      `worker backoff ${JSON.stringify({ baseMs, capMs })} is invalid; use 0 <= baseMs <= capMs, e.g. { baseMs: 1000, capMs: 300000 }`,
    );
  }
}
