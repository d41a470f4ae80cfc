import { Worker } from "node:worker_threads";
import { asStoreUnavailable } from "../as-store-unavailable.ts";
import { checkListLimit } from "../check-list-limit.ts";
import { createGroupCommit } from "../create-group-commit.ts";
import { type PreparedDelivery, prepareDelivery } from "../prepare-delivery.ts";
import {
  LeaseLostError,
  type RecordDeliveryResult,
  type Store,
  StoreUnavailableError,
} from "../store.ts";
import type { SqliteOperations } from "./create-sqlite-operations.ts";
import type { SqliteReply, SqliteRequest } from "./sqlite-store-worker.ts";

/** Waiting this long for another process's write lock beats answering 503 at the first contention. */
const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** Bounds one transaction's size, so a burst cannot hold the write lock for long. */
const MAX_DELIVERY_BATCH = 512;

interface Pending {
  operation: string;
  jobId: number | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL. A worker thread owns the
 * connection, so while one batch of deliveries is being synced the next one gathers on this thread.
 */
export async function createSqliteStore(options: {
  path: string;
  /** How long a write waits for another process holding the file's write lock before failing. */
  busyTimeoutMs?: number;
}): Promise<Store> {
  const { path, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS } = options;
  const worker = new Worker(new URL("./sqlite-store-worker.ts", import.meta.url), {
    workerData: { path, busyTimeoutMs },
  });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let failure: Error | undefined;
  let closed = false;

  await new Promise<void>((resolve, reject) => {
    const refuse = (message: string, cause?: unknown) =>
      reject(
        new StoreUnavailableError(
          `SQLite store "${path}" cannot be opened: ${message}; check that the directory exists and is writable`,
          { cause },
        ),
      );
    worker.once("message", (reply: SqliteReply) => {
      if (reply.type === "ready") resolve();
      else if (reply.type === "failed") refuse(reply.message);
      else refuse(`unexpected first reply ${JSON.stringify(reply.type)}`);
    });
    worker.once("error", (error) => refuse(error.message, error));
    worker.once("exit", (code) =>
      refuse(`its worker thread exited (code ${code}) before opening it`),
    );
  });

  worker.on("message", (reply: SqliteReply) => {
    if (reply.type !== "result" && reply.type !== "error") return;
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.type === "result") waiter.resolve(reply.result);
    else if (reply.name === "LeaseLostError" && waiter.jobId !== undefined)
      waiter.reject(new LeaseLostError(waiter.jobId));
    else
      waiter.reject(
        asStoreUnavailable(waiter.operation, Object.assign(new Error(reply.message), reply)),
      );
  });
  // A dead worker fails every waiting call, and every later one, instead of hanging them.
  const die = (error: Error) => {
    failure = error;
    for (const waiter of pending.values())
      waiter.reject(asStoreUnavailable(waiter.operation, error));
    pending.clear();
  };
  worker.on("error", die);
  worker.on("exit", (code) => die(new Error(`the SQLite worker thread exited (code ${code})`)));
  // Idle, the worker must not keep the process alive; while a call waits, it must.
  worker.unref();

  function call<Operation extends keyof SqliteOperations>(
    operation: string,
    name: Operation,
    args: Parameters<SqliteOperations[Operation]>,
    jobId?: number,
  ): Promise<ReturnType<SqliteOperations[Operation]>> {
    return send(operation, name, args, jobId) as Promise<ReturnType<SqliteOperations[Operation]>>;
  }

  function send(
    operation: string,
    name: SqliteRequest["operation"],
    args: unknown[],
    jobId?: number,
  ): Promise<unknown> {
    if (closed || failure) {
      const reason = failure ?? new Error("the store is closed");
      return Promise.reject(asStoreUnavailable(operation, reason));
    }
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { operation, jobId, resolve, reject });
      if (pending.size === 1) worker.ref();
      worker.postMessage({ id, operation: name, args } satisfies SqliteRequest);
    });
  }

  const deliveries = createGroupCommit<PreparedDelivery, RecordDeliveryResult>({
    maxBatch: MAX_DELIVERY_BATCH,
    commit: (items) => call(`recording ${items.length} deliveries`, "recordDeliveries", [items]),
  });

  return {
    recordDelivery(delivery) {
      if (closed) {
        return Promise.reject(
          new StoreUnavailableError("store: recording a delivery failed: the store is closed"),
        );
      }
      try {
        return deliveries.submit(prepareDelivery(delivery));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    claimJob: (options) => call("claiming a job", "claimJob", [options]),
    recordEffect: (job, idempotencyKey, result, links = []) =>
      call(
        `recording effect "${idempotencyKey}" of job ${job.id}`,
        "recordEffect",
        [job, idempotencyKey, result, links],
        job.id,
      ),
    completeJob: (job, outcome) =>
      call(`completing job ${job.id}`, "completeJob", [job, outcome], job.id),
    retryJob: (job, error, notBefore) =>
      call(`scheduling a retry of job ${job.id}`, "retryJob", [job, error, notBefore], job.id),
    deadLetterJob: (job, error) =>
      call(`dead-lettering job ${job.id}`, "deadLetterJob", [job, error], job.id),
    releaseJob: (job) => call(`releasing job ${job.id}`, "releaseJob", [job], job.id),
    deferJob: (job, notBefore, reason) =>
      call(`deferring job ${job.id}`, "deferJob", [job, notBefore, reason], job.id),
    async listDeliveries({ limit }) {
      return call("listing deliveries", "listDeliveries", [
        checkListLimit("listDeliveries", limit),
      ]);
    },
    getDelivery: (id) => call(`reading delivery ${id}`, "getDelivery", [id]),
    async listDeadLetters({ limit }) {
      return call("listing dead letters", "listDeadLetters", [
        checkListLimit("listDeadLetters", limit),
      ]);
    },
    replayDeadLetter: (jobId) => call(`replaying dead job ${jobId}`, "replayDeadLetter", [jobId]),
    getLink: (key) => call(`reading link "${key}"`, "getLink", [key]),
    putLink: (link) => call(`writing link "${link.key}"`, "putLink", [link]),
    getState: (key) => call(`reading state "${key}"`, "getState", [key]),
    async setState(key, value) {
      if (value === undefined) {
        throw new Error(`setState: value for "${key}" is undefined; store null to clear it`);
      }
      return call(`writing state "${key}"`, "setState", [key, value]);
    },
    prune: (olderThan) => call("pruning old deliveries", "prune", [olderThan]),
    async close() {
      if (closed) return;
      await deliveries.drain();
      const done = send("closing the store", "close", []);
      closed = true;
      await done;
      await worker.terminate();
    },
  };
}
