// Worker-thread entry: owns the SQLite connection, so fsyncs never block the main event loop.
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { monotonicMs } from "../monotonic-ms.ts";
import type { PreparedDelivery } from "../prepare-delivery.ts";
import { createSqliteOperations, type SqliteOperations } from "./create-sqlite-operations.ts";
import { openSqliteDatabase } from "./open-sqlite-database.ts";

export interface SqliteRequest {
  id: number;
  operation: keyof SqliteOperations | "close";
  args: unknown[];
  /** monotonicMs() time by which the caller must have its answer, however long it queued here. */
  deadline: number;
}

export type SqliteReply =
  | { type: "ready" }
  | { type: "failed"; message: string }
  | { type: "result"; id: number; result: unknown }
  | { type: "error"; id: number; name: string; message: string };

const port =
  parentPort ??
  ((): never => {
    throw new Error("sqlite-store-worker.ts runs only as a worker thread of the SQLite store");
  })();
const { path, busyTimeoutMs, maxDeliveryBatch } = workerData as {
  path: string;
  busyTimeoutMs: number;
  maxDeliveryBatch: number;
};

const send = (reply: SqliteReply) => port.postMessage(reply);
/** Busy timeouts are set in steps of this, so a steady stream of calls does not reset it every time. */
const BUSY_TIMEOUT_STEP_MS = 100;

function sendError(id: number, error: unknown): void {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  send({ type: "error", id, name, message });
}

try {
  const db = openSqliteDatabase(path, busyTimeoutMs);
  const operations = createSqliteOperations(db);
  let currentBusyTimeoutMs = busyTimeoutMs;

  /**
   * Gives a call only the time its caller has left: calls queue here one behind the other, so while
   * another process holds the lock, a fixed busy timeout per call would add up along the queue.
   * Throws, without touching the file, when nothing is left.
   */
  function allowUntil(deadline: number): void {
    const left = Math.min(busyTimeoutMs, deadline - monotonicMs());
    if (left <= 0) {
      throw new Error(
        "database is locked: the call waited its whole time behind earlier calls, which were waiting for another connection's lock",
      );
    }
    const stepped = Math.max(1, Math.floor(left / BUSY_TIMEOUT_STEP_MS) * BUSY_TIMEOUT_STEP_MS);
    if (stepped !== currentBusyTimeoutMs) {
      db.exec(`PRAGMA busy_timeout = ${stepped}`);
      currentBusyTimeoutMs = stepped;
    }
  }

  // Delivery batches that queued up while the last commit synced share the next one: one fsync for
  // all of them, up to the batch cap. Any other request ends the run and is handled next, in order.
  function recordQueuedDeliveries(first: SqliteRequest): SqliteRequest | undefined {
    const batchOf = (request: SqliteRequest) => request.args[0] as PreparedDelivery[];
    const requests = [first];
    let items = batchOf(first).length;
    let next: SqliteRequest | undefined;
    while (items < maxDeliveryBatch) {
      next = receiveMessageOnPort(port)?.message as SqliteRequest | undefined;
      if (next?.operation !== "recordDeliveries") break;
      requests.push(next);
      items += batchOf(next).length;
      next = undefined;
    }
    try {
      allowUntil(Math.min(...requests.map((request) => request.deadline)));
      const results = operations.recordDeliveries(requests.flatMap(batchOf));
      let offset = 0;
      for (const request of requests) {
        const count = batchOf(request).length;
        send({ type: "result", id: request.id, result: results.slice(offset, offset + count) });
        offset += count;
      }
    } catch (error) {
      for (const request of requests) sendError(request.id, error);
    }
    return next;
  }

  function handle(request: SqliteRequest): void {
    let next: SqliteRequest | undefined = request;
    while (next) {
      const { id, operation, args, deadline } = next;
      if (operation === "close") {
        db.close();
        send({ type: "result", id, result: undefined });
        port.close();
        return;
      }
      if (operation === "recordDeliveries") {
        next = recordQueuedDeliveries(next);
        continue;
      }
      next = undefined;
      try {
        allowUntil(deadline);
        const run = operations[operation] as (...values: unknown[]) => unknown;
        send({ type: "result", id, result: run(...args) });
      } catch (error) {
        sendError(id, error);
      }
    }
  }

  port.on("message", handle);
  send({ type: "ready" });
} catch (error) {
  send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  port.close();
}
