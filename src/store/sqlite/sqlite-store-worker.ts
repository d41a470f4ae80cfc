// Worker-thread entry: owns the SQLite connection, so fsyncs never block the main event loop.
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import type { PreparedDelivery } from "../prepare-delivery.ts";
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

function sendError(id: number, error: unknown): void {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  send({ type: "error", id, name, message });
}

try {
  const db = openSqliteDatabase(path, busyTimeoutMs);
  const operations = createSqliteOperations(db);

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
      const { id, operation, args } = next;
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
