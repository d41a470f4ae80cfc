import { Worker } from "node:worker_threads";
import type { SqliteOperations } from "./create-sqlite-operations.ts";
import type { SqliteCaller } from "./sqlite-caller.ts";
import type { SqliteReply, SqliteRequest } from "./sqlite-store-worker.ts";

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The connection on a worker thread, so fsyncs never block the event loop that answers requests. */
export async function startSqliteWorker(options: {
  path: string;
  /** The longest a call waits for another process's lock; each call's deadline may shorten it. */
  busyTimeoutMs: number;
  /** The most deliveries the thread writes in one transaction when it merges queued batches. */
  maxDeliveryBatch: number;
}): Promise<SqliteCaller> {
  const worker = new Worker(new URL("./sqlite-store-worker.ts", import.meta.url), {
    workerData: options,
  });
  const waiting = new Map<number, Waiter>();
  let nextId = 0;
  let failure: Error | undefined;

  await new Promise<void>((resolve, reject) => {
    worker.once("message", (reply: SqliteReply) => {
      if (reply.type === "ready") resolve();
      else if (reply.type === "failed") reject(new Error(reply.message));
      else reject(new Error(`the SQLite worker answered ${reply.type} before it was ready`));
    });
    worker.once("error", reject);
    worker.once("exit", (code) =>
      reject(new Error(`the SQLite worker thread exited (code ${code}) before opening the file`)),
    );
  });

  worker.on("message", (reply: SqliteReply) => {
    if (reply.type !== "result" && reply.type !== "error") return;
    const waiter = waiting.get(reply.id);
    if (!waiter) return;
    waiting.delete(reply.id);
    if (waiting.size === 0) worker.unref();
    if (reply.type === "result") waiter.resolve(reply.result);
    else waiter.reject(Object.assign(new Error(reply.message), { name: reply.name }));
  });
  // A dead worker fails every waiting call, and every later one, instead of hanging them.
  const die = (error: Error) => {
    failure = error;
    for (const waiter of waiting.values()) waiter.reject(error);
    waiting.clear();
  };
  worker.on("error", die);
  worker.on("exit", (code) => die(new Error(`the SQLite worker thread exited (code ${code})`)));
  // Idle, the worker must not keep the process alive; while a call waits, it must.
  worker.unref();

  function send(
    operation: SqliteRequest["operation"],
    args: unknown[],
    deadline: number,
  ): Promise<unknown> {
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      if (waiting.size === 1) worker.ref();
      worker.postMessage({ id, operation, args, deadline } satisfies SqliteRequest);
    });
  }

  return {
    call: (name, args, deadline) =>
      send(name, args, deadline) as Promise<ReturnType<SqliteOperations[typeof name]>>,
    async close() {
      await send("close", [], Number.POSITIVE_INFINITY);
      await worker.terminate();
    },
  };
}
