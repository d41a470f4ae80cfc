/** Collects concurrent writes and commits them together, so many requests share one durable sync. */
export interface GroupCommit<Item, Result> {
  /** Resolves with the item's result once its whole batch committed; rejects with the batch's error. */
  submit(item: Item): Promise<Result>;
  /** Resolves when every submitted item has been committed or rejected. */
  drain(): Promise<void>;
}

interface Waiter<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
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
  commit: (items: Item[]) => Result[] | Promise<Result[]>;
}): GroupCommit<Item, Result> {
  const { maxBatch, commit } = options;
  const maxInFlight = options.maxInFlight ?? 1;
  let pending: Array<Waiter<Item, Result>> = [];
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
    if (inFlight.size >= maxInFlight || pending.length === 0) return;
    const batch = pending.slice(0, maxBatch);
    pending = pending.slice(batch.length);
    const running: Promise<void> = run(batch).finally(() => {
      inFlight.delete(running);
      if (pending.length > 0) flush();
    });
    inFlight.add(running);
  }

  async function run(batch: Array<Waiter<Item, Result>>): Promise<void> {
    try {
      const results = await commit(batch.map((waiter) => waiter.item));
      batch.forEach((waiter, index) => {
        waiter.resolve(results[index] as Result);
      });
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    }
  }

  return {
    submit(item) {
      return new Promise<Result>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        if (pending.length >= maxBatch) flush();
        else schedule();
      });
    },
    async drain() {
      while (inFlight.size > 0 || pending.length > 0) {
        if (inFlight.size === 0) flush();
        await Promise.all(inFlight);
      }
    },
  };
}
