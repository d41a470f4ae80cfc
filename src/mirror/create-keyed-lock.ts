import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { RetryLaterError } from "../jobs/job-errors.ts";
import type { Store } from "../store/store.ts";

/**
 * Runs `task` alone for its key. With a shared `store` (replicas on PostgreSQL) it is alone across
 * the fleet too; `signal` (the job's) ends a wait for another replica's task.
 */
type KeyedLock = <T>(
  key: string,
  task: () => Promise<T>,
  fleet?: { store: Store; signal?: AbortSignal },
) => Promise<T>;

/**
 * A replica that dies holding the lock blocks its key no longer than this; a live holder renews it
 * every FLEET_LOCK_RENEW_MS for as long as its task runs (a few GitHub requests, 30 s at most each).
 */
const FLEET_LOCK_TTL_MS = 5_000;
const FLEET_LOCK_RENEW_MS = 1_500;
/** How often a waiting replica asks again; a task under the lock takes a few hundred milliseconds. */
const FLEET_LOCK_POLL_MS = 100;
/** Longer waits give the worker slot back: the job runs again a second later. */
const FLEET_LOCK_MAX_WAIT_MS = 10_000;

/**
 * Runs tasks with the same key one after another (different keys run freely), so two jobs about one
 * discussion cannot both find it unmirrored and both create its issue. In one process the tasks
 * queue; across replicas the key is a lease in the store (`lock:<key>`), taken before the task and
 * given back after it.
 */
export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return async (key, task, fleet) => {
    const previous = tails.get(key) ?? Promise.resolve();
    const guarded =
      fleet?.store.shared === true ? () => acrossFleet(key, task, fleet.store, fleet.signal) : task;
    const run = previous.then(guarded, guarded);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

async function acrossFleet<T>(
  key: string,
  task: () => Promise<T>,
  store: Store,
  signal: AbortSignal | undefined,
): Promise<T> {
  const name = `lock:${key}`;
  const holder = randomUUID();
  const giveUpAt = Date.now() + FLEET_LOCK_MAX_WAIT_MS;
  for (;;) {
    signal?.throwIfAborted();
    const lease = await store.claimLease({
      name,
      holder,
      ttlMs: FLEET_LOCK_TTL_MS,
      now: new Date(),
    });
    if (lease.held) break;
    if (Date.now() >= giveUpAt) {
      throw new RetryLaterError(
        `another replica has been working on ${key} for over ${FLEET_LOCK_MAX_WAIT_MS / 1000} s; this job runs again after it`,
        new Date(Date.now() + 1_000),
      );
    }
    await sleep(FLEET_LOCK_POLL_MS, undefined, signal ? { signal } : {});
  }
  const renew = () =>
    store
      .claimLease({ name, holder, ttlMs: FLEET_LOCK_TTL_MS, now: new Date() })
      .catch(() => undefined);
  const renewal = setInterval(renew, FLEET_LOCK_RENEW_MS);
  try {
    return await task();
  } finally {
    clearInterval(renewal);
    await store.releaseLease(name, holder).catch(() => undefined);
  }
}
