/** Work that takes turns: each piece starts once the one before has settled. */
export interface TurnQueue {
  take<T>(work: () => Promise<T>): Promise<T>;
  /** Settles when the last piece taken so far has. */
  idle(): Promise<unknown>;
}

export function createTurnQueue(): TurnQueue {
  let turn: Promise<unknown> = Promise.resolve();
  return {
    take(work) {
      const run = turn.then(work, work);
      turn = run.catch(() => undefined);
      return run;
    },
    idle: () => turn,
  };
}
