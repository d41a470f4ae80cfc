/** The edge's shutdown state, shared by the request handler and `close()`. */
export interface Lifecycle {
  isDraining(): boolean;
  beginDrain(): void;
  /** Counts the work as in flight until it settles. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves once nothing is in flight. */
  idle(): Promise<void>;
}

export function createLifecycle(): Lifecycle {
  let draining = false;
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    inFlight--;
    if (inFlight > 0) return;
    for (const wake of waiters) wake();
    waiters = [];
  };
  return {
    isDraining: () => draining,
    beginDrain: () => {
      draining = true;
    },
    track: (work) => {
      inFlight++;
      return work.finally(settle);
    },
    idle: () =>
      inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve)),
  };
}
