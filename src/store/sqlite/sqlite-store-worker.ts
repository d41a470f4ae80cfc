// Worker-thread entry: owns the SQLite connection, so fsyncs never block the main event loop.
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { monotonicMs } from "../monotonic-ms.ts";
import type { PreparedDelivery } from "../prepare-delivery.ts";
import {
  createSqliteOperations,
  GROUPED_WRITES,
  type GroupedWriteName,
  type SqliteOperations,
} from "./create-sqlite-operations.ts";
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
const WAITED_TOO_LONG =
  "database is locked: the call waited its whole time behind earlier calls, which were waiting for another connection's lock";
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
    if (left <= 0) throw new Error(WAITED_TOO_LONG);
    const stepped = Math.max(1, Math.floor(left / BUSY_TIMEOUT_STEP_MS) * BUSY_TIMEOUT_STEP_MS);
    if (stepped !== currentBusyTimeoutMs) {
      db.exec(`PRAGMA busy_timeout = ${stepped}`);
      currentBusyTimeoutMs = stepped;
    }
  }

  // Writes that queued up while the last commit synced share the next one: ingest batches, and a
  // running job's claim, effect results, renewals and completion, so the worker's writes ride on the
  // ingest's fsyncs instead of each taking the writer for a commit of its own. Up to the batch cap in
  // deliveries; any other request ends the run and is handled next, in order.
  function writeQueuedGroup(first: SqliteRequest): SqliteRequest | undefined {
    const requests = [first];
    let weight = weightOf(first);
    let next: SqliteRequest | undefined;
    while (weight < maxDeliveryBatch) {
      next = receiveMessageOnPort(port)?.message as SqliteRequest | undefined;
      if (next === undefined || !isGroupedWrite(next.operation)) break;
      requests.push(next);
      weight += weightOf(next);
      next = undefined;
    }
    const live = requests.filter((request) => {
      if (request.deadline > monotonicMs()) return true;
      sendError(request.id, new Error(WAITED_TOO_LONG));
      return false;
    });
    if (live.length === 0) return next;
    try {
      allowUntil(Math.min(...live.map((request) => request.deadline)));
      const outcomes = operations.writeGroup(
        live.map((request) => ({
          operation: request.operation as GroupedWriteName,
          args: request.args,
        })),
      );
      live.forEach((request, index) => {
        const outcome = outcomes[index];
        if (outcome?.ok) send({ type: "result", id: request.id, result: outcome.result });
        else sendError(request.id, outcome?.error);
      });
    } catch (error) {
      for (const request of live) sendError(request.id, error);
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
      if (isGroupedWrite(operation)) {
        next = writeQueuedGroup(next);
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

function isGroupedWrite(operation: SqliteRequest["operation"]): operation is GroupedWriteName {
  return Object.hasOwn(GROUPED_WRITES, operation);
}

/** A delivery batch counts its deliveries against the cap, any other write one. */
function weightOf(request: SqliteRequest): number {
  return request.operation === "recordDeliveries"
    ? (request.args[0] as PreparedDelivery[]).length
    : 1;
}
