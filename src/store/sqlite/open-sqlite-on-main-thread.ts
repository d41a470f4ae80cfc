import { createSqliteOperations, type SqliteOperations } from "./create-sqlite-operations.ts";
import { openSqliteDatabase } from "./open-sqlite-database.ts";
import type { SqliteCaller } from "./sqlite-caller.ts";

/**
 * The connection on the calling thread: each commit's fsync blocks the event loop, so this suits
 * bundles that cannot ship the worker file (the GitHub Action), not a busy webhook receiver. Calls
 * run one at a time as they are made, so nothing queues: the busy timeout alone bounds each.
 */
export function openSqliteOnMainThread(options: {
  path: string;
  busyTimeoutMs: number;
}): SqliteCaller {
  const db = openSqliteDatabase(options.path, options.busyTimeoutMs);
  const operations = createSqliteOperations(db);
  return {
    async call(name, args) {
      const run = operations[name] as (...values: unknown[]) => unknown;
      return run(...args) as ReturnType<SqliteOperations[typeof name]>;
    },
    async close() {
      db.close();
    },
  };
}
