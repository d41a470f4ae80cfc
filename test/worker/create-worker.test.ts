import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configSchema } from "../../src/config/config-schema.ts";
import { createDryRunExecutor } from "../../src/github/create-dry-run-executor.ts";
import {
  PermanentJobError,
  RetryLaterError,
  RetryNotBeforeError,
} from "../../src/jobs/job-errors.ts";
import { planEffects } from "../../src/rules/plan-effects.ts";
import { LeaseLostError, type Store, StoreUnavailableError } from "../../src/store/store.ts";
import { createWorker, type Worker } from "../../src/worker/create-worker.ts";
import { runJob } from "../../src/worker/run-job.ts";
import { fixtureDelivery } from "../store/fixture-delivery.ts";
import { fixtureEvent } from "../support/fixtures.ts";
import {
  captureLogger,
  delivery,
  openTempStore,
  queueFixture,
  scriptedExecutor,
  TEST_CONFIG,
  waitForJobState,
  watchClaims,
  workerOptions,
} from "./worker-harness.ts";

const DRAFT_PR = "composed-discussion-create-draft-pr.json";
const PRIVATE_DATASET_PUSH = "composed-repo.content-update-private-dataset.json";
/** Two refs, so two dispatch effects: enough to crash between them. */
const MAIN_AND_TAG = "composed-repo.content-update-main-and-new-tag.json";

let store: Store;
let destroy: () => Promise<void>;
const workers: Worker[] = [];

beforeEach(async () => {
  ({ store, destroy } = await openTempStore());
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop(0)));
  await destroy();
});

function startWorker(...args: Parameters<typeof workerOptions>): Worker {
  const worker = createWorker(workerOptions(...args));
  workers.push(worker);
  worker.start();
  return worker;
}

describe("worker with the dry-run executor", () => {
  it("runs a queued delivery to done with the planned effects as its outcome", async () => {
    const id = await queueFixture(store, DRAFT_PR);
    const { logger, lines } = captureLogger();
    startWorker(store, createDryRunExecutor({ logger }));

    const done = await waitForJobState(store, id, "done", 1);
    const [effect] = planEffects(fixtureEvent(DRAFT_PR), TEST_CONFIG).effects;
    const detail =
      'create issue in acme/mirror titled "[Hub] Hello!" with labels [huggingface, hub-pr, draft] as hub-discussion:6366c000a2abcdf2fd69a080:3';
    expect(done.outcome).toStrictEqual({
      summary: "1 effect: 1 planned",
      effects: [{ effect, result: { status: "planned", detail } }],
    });
    expect((await store.listDeliveries({ limit: 10 }))[0]?.outcome).toStrictEqual(done.outcome);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 30,
        jobId: done.jobId,
        msg: `dry-run, not sent: ${detail}`,
      }),
    );
  });

  it("records the links an executor returns together with the effect's result", async () => {
    const id = await queueFixture(store, DRAFT_PR);
    const executor = scriptedExecutor(async (effect) => {
      if (effect.type !== "create-issue") throw new Error(`unexpected ${effect.type}`);
      return {
        status: "done",
        githubId: 901,
        url: "https://github.com/acme/mirror/issues/7",
        links: [
          { key: effect.link, kind: "issue", repo: "acme/mirror", githubId: 901, githubNumber: 7 },
        ],
      };
    });
    startWorker(store, executor);

    const done = await waitForJobState(store, id, "done", 1);
    expect(done.outcome?.effects.map(({ result }) => result)).toStrictEqual([
      { status: "done", githubId: 901, url: "https://github.com/acme/mirror/issues/7" },
    ]);
    expect(await store.getLink("hub-discussion:6366c000a2abcdf2fd69a080:3")).toMatchObject({
      kind: "issue",
      repo: "acme/mirror",
      githubId: 901,
      githubNumber: 7,
    });
  });

  it("finishes an event no route covers with the planner's reason", async () => {
    const id = await queueFixture(store, "hookdeck-discussion.comment-create.json");
    startWorker(store, createDryRunExecutor({ logger: pino({ level: "silent" }) }));

    const done = await waitForJobState(store, id, "done");
    expect(done.outcome).toStrictEqual({
      summary: 'no effects: no route matches model "openai-community/gpt2"',
      effects: [],
    });
  });

  it("picks up a job queued while idle as soon as it is woken, without waiting for a poll", async () => {
    const executor = scriptedExecutor();
    // The test must know when the first (empty) claim has answered.
    const { watched, claims } = watchClaims(store);
    const worker = startWorker(watched, executor, { pollIntervalMs: 3_600_000 });
    expect(claims).toHaveLength(1);
    expect(await claims[0]).toBeUndefined();
    const id = await queueFixture(store, DRAFT_PR);
    worker.wake();

    await waitForJobState(store, id, "done", 1);
    expect(executor.calls.map((effect) => effect.type)).toStrictEqual(["create-issue"]);
  });
});

describe("worker failures", () => {
  it("dead-letters a job whose planner throws at once, while another job proceeds", async () => {
    const config = configSchema.parse({
      routes: [
        {
          hub: "some-user/some-repo",
          github: "acme/mirror",
          discussions: { titleTemplate: "{{title}}" },
        },
        ...TEST_CONFIG.routes.filter((route) => !route.discussions),
      ],
    });
    // Validation refuses an unknown placeholder; a config that skipped it must still fail safely.
    Object.assign(config.routes[0]?.discussions as object, { titleTemplate: "{{nope}}" });
    const poison = await queueFixture(store, DRAFT_PR);
    const healthy = await queueFixture(store, PRIVATE_DATASET_PUSH);
    const executor = scriptedExecutor();
    startWorker(store, executor, { config, concurrency: 1 });

    const dead = await waitForJobState(store, poison, "dead", 1);
    expect(dead.lastError).toBe(
      'PermanentJobError: planning failed: Error: discussions.titleTemplate "{{nope}}" uses unknown placeholder {{nope}}; use one of {{title}}, {{num}}, {{repo}}, {{type}}',
    );
    await waitForJobState(store, healthy, "done", 1);
    expect(executor.calls.map((effect) => effect.type)).toStrictEqual(["repository-dispatch"]);
    const letters = await store.listDeadLetters({ limit: 10 });
    expect(letters.map((letter) => [letter.deliveryId, letter.attempts])).toStrictEqual([
      [poison, 1],
    ]);
  });

  it("dead-letters at once when the executor says the job cannot succeed", async () => {
    const executor = scriptedExecutor(async (effect, context, dryRun) => {
      if (effect.type === "create-issue")
        throw new PermanentJobError("GitHub answered 422: label invalid");
      return dryRun.execute(effect, context);
    });
    const poison = await queueFixture(store, DRAFT_PR);
    const healthy = await queueFixture(store, PRIVATE_DATASET_PUSH);
    startWorker(store, executor);

    const dead = await waitForJobState(store, poison, "dead", 1);
    expect(dead.lastError).toBe("PermanentJobError: GitHub answered 422: label invalid");
    await waitForJobState(store, healthy, "done", 1);
    expect(executor.calls.filter((effect) => effect.type === "create-issue")).toHaveLength(1);
  });

  it("retries an ordinary error after a full-jitter backoff, then dead-letters after maxAttempts", async () => {
    const clock = { now: Date.now() };
    const draws: number[] = [];
    const executor = scriptedExecutor(async () => {
      throw new Error("GitHub answered 502");
    });
    const id = await queueFixture(store, DRAFT_PR);
    const worker = startWorker(store, executor, {
      now: () => new Date(clock.now),
      maxAttempts: 3,
      backoff: {
        baseMs: 1000,
        capMs: 1500,
        random: () => {
          draws.push(0.5);
          return 0.5;
        },
      },
    });

    // Attempt 1 fails: wait ≤ 0.5 × 1000. Attempt 2 fails: wait 0.5 × min(1500, 2000).
    for (const [attempt, delayMs] of [
      [1, 500],
      [2, 750],
    ] as const) {
      const queued = await waitForJobState(store, id, "queued", attempt);
      expect(queued.lastError).toBe("Error: GitHub answered 502");
      await expectDueAt(store, clock.now + delayMs);
      clock.now += delayMs;
      worker.wake();
    }

    const dead = await waitForJobState(store, id, "dead", 3);
    expect(dead.lastError).toBe("gave up after 3 attempts: Error: GitHub answered 502");
    expect(executor.calls).toHaveLength(3);
    expect(draws).toHaveLength(2);
  });

  it("defers on RetryLaterError without spending an attempt", async () => {
    const clock = { now: Date.now() };
    const executor = scriptedExecutor(async (effect, context, dryRun) => {
      if (executor.calls.length === 1) {
        throw new RetryLaterError("GitHub rate limit; resets later", new Date(clock.now + 60_000));
      }
      return dryRun.execute(effect, context);
    });
    const id = await queueFixture(store, DRAFT_PR);
    // One attempt only: the deferral must not use it up.
    const worker = startWorker(store, executor, { now: () => new Date(clock.now), maxAttempts: 1 });

    const deferred = await waitForJobState(store, id, "queued", 0);
    expect(deferred.lastError).toBe("RetryLaterError: GitHub rate limit; resets later");
    await expectDueAt(store, clock.now + 60_000);
    clock.now += 60_000;
    worker.wake();

    const done = await waitForJobState(store, id, "done", 1);
    expect(done.outcome?.summary).toBe("1 effect: 1 planned");
    expect(executor.calls).toHaveLength(2);
  });
});

describe("worker leases and limits", () => {
  it("retries a RetryNotBeforeError, counting the attempt, no sooner than its time", async () => {
    const clock = { now: Date.now() };
    const executor = scriptedExecutor(async (effect, context, dryRun) => {
      if (executor.calls.length === 1) {
        throw new RetryNotBeforeError("the create may still land", new Date(clock.now + 45_000));
      }
      return dryRun.execute(effect, context);
    });
    const id = await queueFixture(store, DRAFT_PR);
    // The backoff alone would bring the job back at once.
    const worker = startWorker(store, executor, {
      now: () => new Date(clock.now),
      backoff: { baseMs: 0, capMs: 0, random: () => 0 },
    });

    const queued = await waitForJobState(store, id, "queued", 1);
    expect(queued.lastError).toBe("RetryNotBeforeError: the create may still land");
    await expectDueAt(store, clock.now + 45_000);
    clock.now += 45_000;
    worker.wake();
    await waitForJobState(store, id, "done", 2);
  });

  it("renews the lease of a job that outlives it, so another worker never takes it over", async () => {
    const id = await queueFixture(store, DRAFT_PR);
    const executor = scriptedExecutor(async (effect, context, dryRun) => {
      // Three leases long.
      await new Promise((resolve) => setTimeout(resolve, 900));
      return dryRun.execute(effect, context);
    });
    startWorker(store, executor, { workerId: "slow", leaseMs: 300 });
    await vi.waitFor(() => expect(executor.calls).toHaveLength(1));
    const rival = scriptedExecutor();
    startWorker(store, rival, { workerId: "rival", pollIntervalMs: 20 });

    const done = await waitForJobState(store, id, "done", 1);
    expect(done.outcome?.summary).toBe("1 effect: 1 planned");
    expect(rival.calls).toStrictEqual([]);
  });

  it("stops a job whose lease cannot be renewed: its signal aborts and it records nothing", async () => {
    const id = await queueFixture(store, MAIN_AND_TAG);
    const reasons: unknown[] = [];
    const executor = scriptedExecutor(
      (_effect, context) =>
        new Promise((_resolve, reject) => {
          context.signal.addEventListener("abort", () => {
            reasons.push(context.signal.reason);
            reject(new Error("GitHub request abandoned"));
          });
        }),
    );
    const { logger, lines } = captureLogger();
    // The store is unreachable for renewals: past the lease, someone else may own the job.
    const unrenewable: Store = {
      ...store,
      renewLease: async () => {
        throw new StoreUnavailableError("the database does not answer");
      },
    };
    startWorker(unrenewable, executor, { workerId: "stalled", leaseMs: 300, logger });

    await vi.waitFor(() => expect(reasons).toHaveLength(1), { timeout: 5_000 });
    expect(reasons[0]).toBeInstanceOf(LeaseLostError);
    await vi.waitFor(() =>
      expect(lines).toContainEqual(
        expect.objectContaining({
          msg: "lease lost while running; another worker owns the job now",
        }),
      ),
    );
    // Nothing was recorded: the job is still the stalled worker's, running, with no effects done.
    const job = await delivery(store, id);
    expect([job.jobState, job.attempts, job.lastError]).toStrictEqual(["running", 1, undefined]);
    expect(executor.calls).toHaveLength(1);
  });

  it("runs the first effects of a job over the cap and says in its outcome what it refused", async () => {
    const id = await queueFixture(store, MAIN_AND_TAG);
    const executor = scriptedExecutor();
    // One effect allowed where two are planned.
    const planned = planEffects(fixtureEvent(MAIN_AND_TAG), TEST_CONFIG).effects;
    expect(planned).toHaveLength(2);
    const job = await store.claimJob({ workerId: "capped", leaseMs: 60_000 });
    if (!job) throw new Error("no job to claim");
    const { logger } = captureLogger();
    await runJob(job, {
      store,
      config: TEST_CONFIG,
      executor,
      log: logger,
      policy: { maxAttempts: 3, retryDelayMs: () => 0, now: () => new Date() },
      signal: new AbortController().signal,
      maxEffects: 1,
    });
    const done = await delivery(store, id);
    expect(done.outcome?.summary).toBe(
      "1 effect: 1 planned; 1 of 2 planned effects refused: one delivery may cause at most 1, so the first 1 ran",
    );
    expect(executor.calls).toStrictEqual([planned[0]]);
  });
});

describe("worker crash and shutdown", () => {
  it("does not repeat effects an earlier attempt finished when another worker takes over", async () => {
    const id = await queueFixture(store, MAIN_AND_TAG);
    const secondEffectStarted = Promise.withResolvers<void>();
    const crashed = Promise.withResolvers<void>();
    const first = scriptedExecutor(async (effect, context, dryRun) => {
      if (first.calls.length === 1) return dryRun.execute(effect, context);
      secondEffectStarted.resolve();
      // The process "dies" here: this effect never finishes while its lease runs out.
      await crashed.promise;
      return dryRun.execute(effect, context);
    });
    const { logger, lines } = captureLogger();
    const crashing = startWorker(store, first, { workerId: "crashing", leaseMs: 1000, logger });
    await secondEffectStarted.promise;

    const second = scriptedExecutor();
    startWorker(store, second, {
      workerId: "successor",
      // This worker's clock is past the crashed worker's lease.
      now: () => new Date(Date.now() + 5000),
    });
    const done = await waitForJobState(store, id, "done", 2);

    const planned = planEffects(fixtureEvent(MAIN_AND_TAG), TEST_CONFIG).effects;
    expect(planned).toHaveLength(2);
    expect(first.calls).toStrictEqual(planned);
    expect(second.calls).toStrictEqual([planned[1]]);
    expect(done.outcome?.effects.map(({ effect }) => effect)).toStrictEqual(planned);

    // The crashed worker's late effect finds its lease gone and writes nothing.
    crashed.resolve();
    await crashing.stop(30_000);
    expect(await delivery(store, id)).toStrictEqual(done);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        jobId: done.jobId,
        msg: "lease lost while running; another worker owns the job now",
      }),
    );
  });

  it("lets a running job finish within the grace period", async () => {
    const id = await queueFixture(store, DRAFT_PR);
    const started = Promise.withResolvers<void>();
    const proceed = Promise.withResolvers<void>();
    const executor = scriptedExecutor(async (effect, context, dryRun) => {
      started.resolve();
      await proceed.promise;
      return dryRun.execute(effect, context);
    });
    const worker = startWorker(store, executor);
    await started.promise;

    const stopping = worker.stop(30_000);
    proceed.resolve();
    await stopping;
    expect((await delivery(store, id)).jobState).toBe("done");
  });

  it("gives unfinished jobs back to the queue after the grace period and leaves no timer", async () => {
    const id = await queueFixture(store, MAIN_AND_TAG);
    const started = Promise.withResolvers<void>();
    const hang = Promise.withResolvers<void>();
    const stuck = scriptedExecutor(async (effect, context, dryRun) => {
      started.resolve();
      await hang.promise;
      return dryRun.execute(effect, context);
    });
    // Only the worker's own timers are faked, so the test can count them.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const worker = startWorker(store, stuck);
      await started.promise;
      let stopped = false;
      const stopping = worker.stop(0).then(() => {
        stopped = true;
      });
      // The store answers on later turns of the event loop, so fake time moves until stop() is done.
      while (!stopped) {
        await vi.advanceTimersByTimeAsync(1);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await stopping;
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    const released = await delivery(store, id);
    expect([released.jobState, released.attempts]).toStrictEqual(["queued", 0]);

    // The stuck effect ends after the release: it may not record anything or start the next one.
    hang.resolve();
    const next = scriptedExecutor();
    startWorker(store, next, { workerId: "next" });
    const done = await waitForJobState(store, id, "done", 1);
    expect(stuck.calls).toHaveLength(1);
    expect(next.calls).toHaveLength(2);
    expect(done.outcome?.summary).toBe("2 effects: 2 planned");
  });

  it("refuses options that cannot work, naming the option and the value", () => {
    const executor = scriptedExecutor();
    expect(() => createWorker(workerOptions(store, executor, { concurrency: 0 }))).toThrow(
      "worker concurrency 0 is invalid; use a whole number of 1 or more",
    );
    expect(() =>
      createWorker(workerOptions(store, executor, { concurrencyWhileQueueing: 1.5 })),
    ).toThrow("worker concurrencyWhileQueueing 1.5 is invalid; use a whole number of 1 or more");
    expect(() =>
      createWorker(workerOptions(store, executor, { concurrency: 4, concurrencyWhileQueueing: 8 })),
    ).toThrow(
      "worker concurrencyWhileQueueing 8 is more than concurrency 4; use at most 4, or raise concurrency",
    );
    expect(() =>
      createWorker(workerOptions(store, executor, { backoff: { baseMs: 5000, capMs: 10 } })),
    ).toThrow('worker backoff {"baseMs":5000,"capMs":10} is invalid');
  });
});

describe("worker slots", () => {
  it("runs at most concurrencyWhileQueueing jobs while work keeps being queued, and every slot once it has been quiet for a second", async () => {
    const ids: number[] = [];
    for (let index = 0; index < 8; index++) {
      const recorded = await store.recordDelivery(
        fixtureDelivery(DRAFT_PR, { dedupeKey: `slots:${index}` }),
      );
      ids.push(recorded.deliveryId);
    }
    let clock = Date.now();
    let inFlight = 0;
    let release = Promise.withResolvers<void>();
    const executor = scriptedExecutor(async (effect, context, dryRun) => {
      inFlight++;
      await release.promise;
      inFlight--;
      return dryRun.execute(effect, context);
    });
    const { watched, claims } = watchClaims(store);
    const worker = createWorker(
      workerOptions(watched, executor, {
        concurrency: 6,
        concurrencyWhileQueueing: 2,
        pollIntervalMs: 3_600_000,
        now: () => new Date(clock),
      }),
    );
    workers.push(worker);
    // A delivery was just queued: the worker starts in the middle of a burst.
    worker.wake();
    worker.start();

    await vi.waitFor(() => expect(inFlight).toBe(2), { timeout: 10_000, interval: 2 });
    await Promise.all(claims);
    expect(claims).toHaveLength(2);
    expect(await store.countJobs(new Date(clock))).toMatchObject({ running: 2, queued: 6 });

    // Quiet for a second: the next job to finish lets the worker fill every slot.
    clock += 1_000;
    const first = release;
    release = Promise.withResolvers<void>();
    first.resolve();
    await vi.waitFor(() => expect(inFlight).toBe(6), { timeout: 10_000, interval: 2 });
    expect(await store.countJobs(new Date(clock))).toMatchObject({ running: 6, queued: 0 });

    release.resolve();
    for (const id of ids) await waitForJobState(store, id, "done", 1);
  });
});

/** The job is not due a millisecond early and is due exactly then; the probe gives it back untouched. */
async function expectDueAt(probeStore: Store, dueAt: number): Promise<void> {
  const options = { workerId: "probe", leaseMs: 60_000 };
  expect(await probeStore.claimJob({ ...options, now: new Date(dueAt - 1) })).toBeUndefined();
  const job = await probeStore.claimJob({ ...options, now: new Date(dueAt) });
  expect(job).toBeDefined();
  if (job) await probeStore.releaseJob(job);
}
