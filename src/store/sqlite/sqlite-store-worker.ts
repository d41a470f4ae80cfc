// Worker-thread entry: owns the SQLite connection, so fsyncs never block the main event loop.
import { parentPort, workerData } from "node:worker_threads";
import { createSqliteOperations, type SqliteOperations } from "./create-sqlite-operations.ts";
import { openSqliteDatabase } from "./open-sqlite-database.ts";

export interface SqliteRequest {
  id: number;
  operation: keyof SqliteOperations | "close";
  args: unknown[];
}

export type SqliteReply =
  | { type: "ready" }
  | { type: "failed"; message: string }
  | { type: "result"; id: number; result: unknown }
  | { type: "error"; id: number; name: string; message: string };

const port = parentPort;
if (!port)
  throw new Error("sqlite-store-worker.ts runs only as a worker thread of the SQLite store");
const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };

const send = (reply: SqliteReply) => port.postMessage(reply);

try {
  const db = openSqliteDatabase(path, busyTimeoutMs);
  const operations = createSqliteOperations(db);
  port.on("message", ({ id, operation, args }: SqliteRequest) => {
    if (operation === "close") {
      db.close();
      send({ type: "result", id, result: undefined });
      port.close();
      return;
    }
    try {
      const run = operations[operation] as (...values: unknown[]) => unknown;
      send({ type: "result", id, result: run(...args) });
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      send({ type: "error", id, name, message });
    }
  });
  send({ type: "ready" });
} catch (error) {
  send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  port.close();
}
