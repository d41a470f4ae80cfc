import { monotonicMs } from "./monotonic-ms.ts";

/** Collects concurrent writes and commits them together, so many requests share one durable sync. */
export interface GroupCommit<Item, Result> {
  /** Resolves with the item's result once its whole batch committed; rejects with the batch's error. */
  submit(item: Item): Promise<Result>;
  /** Resolves when every submitted item has been committed or rejected. */
  drain(): Promise<void>;
}

interface Waiter<Result> {
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
  /** monotonicMs() at submit: how long the item has waited counts against the store's answer time. */
  submittedAt: number;
}

/**
 * Items submitted while a batch commits, or within the same event-loop turn, wait for the next batch.
 * `commit` writes the whole batch in one transaction and returns one result per item, in order; if it
 * throws, nothing of the batch was written and every item of it is rejected with that error.
 */
export function createGroupCommit<Item, Result>(options: {
  maxBatch: number;
  /**
   * Batches handed to `commit` before the first of them settled. Above 1 only where the writer runs
   * them one after another anyway (a worker thread's queue): the event loop then gathers the next
   * batch while the last one syncs, instead of idling.
   */
  maxInFlight?: number;
  /** `waitingSince`: monotonicMs() when the batch's oldest item was submitted. */
  commit: (items: Item[], waitingSince: number) => Result[] | Promise<Result[]>;
}): GroupCommit<Item, Result> {
  const { maxBatch, commit } = options;
  const maxInFlight = options.maxInFlight ?? 1;
  // Items and their waiters in two arrays: once a batch is handed to `commit`, only the waiters stay
  // referenced, so request bodies do not survive garbage collections while the batch syncs.
  let pendingItems: Item[] = [];
  let pendingWaiters: Array<Waiter<Result>> = [];
  let scheduled = false;
  const inFlight = new Set<Promise<void>>();

  function schedule(): void {
    if (scheduled || inFlight.size >= maxInFlight) return;
    scheduled = true;
    // setImmediate rather than a microtask: requests that arrive in the same poll phase join the batch.
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    if (inFlight.size >= maxInFlight || pendingItems.length === 0) return;
    const items = pendingItems.slice(0, maxBatch);
    const waiters = pendingWaiters.slice(0, maxBatch);
    pendingItems = pendingItems.slice(items.length);
    pendingWaiters = pendingWaiters.slice(waiters.length);
    const running: Promise<void> = run(items, waiters, () => {
      inFlight.delete(running);
      if (pendingItems.length > 0) flush();
    });
    inFlight.add(running);
  }

  // Not async, and the callbacks see only the waiters: an async frame would keep the items (request
  // bodies) alive through garbage collections for as long as the batch takes to sync. `settled` runs
  // before any waiter resumes: the next batch goes to the writer first, so it is not left idle while
  // this batch's requests are answered.
  function run(items: Item[], waiters: Array<Waiter<Result>>, settled: () => void): Promise<void> {
    let committing: Promise<Result[]>;
    try {
      committing = Promise.resolve(commit(items, waiters[0]?.submittedAt ?? monotonicMs()));
    } catch (error) {
      committing = Promise.reject(error);
    }
    return committing.then(
      (results) => {
        settled();
        waiters.forEach((waiter, index) => {
          waiter.resolve(results[index] as Result);
        });
      },
      (error: unknown) => {
        settled();
        for (const waiter of waiters) waiter.reject(error);
      },
    );
  }

  return {
    submit(item) {
      return new Promise<Result>((resolve, reject) => {
        pendingItems.push(item);
        pendingWaiters.push({ resolve, reject, submittedAt: monotonicMs() });
        if (pendingItems.length >= maxBatch) flush();
        else schedule();
      });
    },
    async drain() {
      while (inFlight.size > 0 || pendingItems.length > 0) {
        if (inFlight.size === 0) flush();
        await Promise.all(inFlight);
      }
    },
  };
}
