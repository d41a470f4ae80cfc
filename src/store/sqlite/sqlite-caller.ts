import type { SqliteOperations } from "./create-sqlite-operations.ts";

/** Runs store operations against the SQLite connection, wherever that connection lives. */
export interface SqliteCaller {
  /**
   * Rejects with the operation's error; a LeaseLostError keeps that name across threads. `deadline`
   * (a monotonicMs() time) bounds the wait behind other calls and for another process's lock together.
   */
  call<Name extends keyof SqliteOperations>(
    name: Name,
    args: Parameters<SqliteOperations[Name]>,
    deadline: number,
  ): Promise<ReturnType<SqliteOperations[Name]>>;
  close(): Promise<void>;
}
