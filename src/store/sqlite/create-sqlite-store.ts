import { asStoreUnavailable } from "../as-store-unavailable.ts";
import { checkDeliveryQuery } from "../check-delivery-query.ts";
import { checkListLimit } from "../check-list-limit.ts";
import { createGroupCommit } from "../create-group-commit.ts";
import { monotonicMs } from "../monotonic-ms.ts";
import type { PreparedDelivery } from "../prepare-delivery.ts";
import {
  type Job,
  LeaseLostError,
  type RecordDeliveryResult,
  type Store,
  StoreUnavailableError,
} from "../store.ts";
import { submitDelivery } from "../submit-delivery.ts";
import type { HeldJob, SqliteOperations } from "./create-sqlite-operations.ts";
import { openSqliteOnMainThread } from "./open-sqlite-on-main-thread.ts";
import type { SqliteCaller } from "./sqlite-caller.ts";
import { startSqliteWorker } from "./start-sqlite-worker.ts";

/**
 * Every store call settles within this, queued behind other calls and waiting for another process's
 * write lock together: a webhook ack must be answered (503 at worst) within 2 s, and a lock held a
 * moment is still waited out rather than refused at the first contention.
 */
const DEFAULT_ANSWER_WITHIN_MS = 1_500;
/** Bounds one transaction's size, so a burst cannot hold the write lock for long. */
const MAX_DELIVERY_BATCH = 512;
/**
 * Enough that the event loop always has the next batch to send while one syncs; the SQLite thread
 * merges those that queue into its next transaction. More (16, 64) measured no better.
 */
const MAX_BATCHES_IN_FLIGHT = 4;

interface SqliteStoreOptions {
  path: string;
  /** How long a call may wait in all (behind other calls, for another process's lock) before failing. */
  answerWithinMs?: number;
  /**
   * "worker" (default) keeps fsyncs off the event loop; "main" is for bundles that cannot ship
   * sqlite-store-worker.ts beside them, where ingest throughput does not matter.
   */
  writerThread?: "worker" | "main";
}

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL. Deliveries are
 * group-committed: calls that arrive while a batch is being synced share the next transaction.
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const { path, answerWithinMs = DEFAULT_ANSWER_WITHIN_MS, writerThread = "worker" } = options;
  let sqlite: SqliteCaller;
  try {
    sqlite =
      writerThread === "worker"
        ? await startSqliteWorker({
            path,
            busyTimeoutMs: answerWithinMs,
            maxDeliveryBatch: MAX_DELIVERY_BATCH,
          })
        : openSqliteOnMainThread({ path, busyTimeoutMs: answerWithinMs });
  } catch (error) {
    throw new StoreUnavailableError(
      `SQLite store "${path}" cannot be opened: ${error instanceof Error ? error.message : String(error)}; check that the directory exists and is writable`,
      { cause: error },
    );
  }
  let closed = false;

  // Not async: the arguments (a batch of request bodies) are posted to the thread at once, and nothing
  // here keeps them referenced while the call is pending.
  function call<Name extends keyof SqliteOperations>(
    operation: string,
    name: Name,
    args: Parameters<SqliteOperations[Name]>,
    jobId?: number,
    waitingSince = monotonicMs(),
  ): Promise<ReturnType<SqliteOperations[Name]>> {
    const pending = closed
      ? Promise.reject(new Error("the store is closed"))
      : sqlite.call(name, args, waitingSince + answerWithinMs);
    return pending.catch((error: unknown) => {
      if (jobId !== undefined && (error as Error).name === "LeaseLostError") {
        throw new LeaseLostError(jobId);
      }
      throw asStoreUnavailable(operation, error);
    });
  }

  const deliveries = createGroupCommit<PreparedDelivery, RecordDeliveryResult>({
    maxBatch: MAX_DELIVERY_BATCH,
    // The SQLite thread takes batches one after another from its message queue.
    maxInFlight: MAX_BATCHES_IN_FLIGHT,
    commit: (items, waitingSince) =>
      call(
        `recording ${items.length} deliveries`,
        "recordDeliveries",
        [items],
        undefined,
        waitingSince,
      ),
  });

  return {
    shared: false,
    recordDelivery: (delivery) => submitDelivery(deliveries, closed, delivery),
    claimJob: (options) => call("claiming a job", "claimJob", [options]),
    recordEffect: (job, idempotencyKey, result, links = [], resolvedIntents = []) =>
      call(
        `recording effect "${idempotencyKey}" of job ${job.id}`,
        "recordEffect",
        [held(job), idempotencyKey, result, links, resolvedIntents],
        job.id,
      ),
    renewLease: async (job, leaseMs, now) =>
      new Date(
        await call(
          `renewing the lease of job ${job.id}`,
          "renewLease",
          [held(job), leaseMs, now.getTime()],
          job.id,
        ),
      ),
    completeJob: (job, outcome) =>
      call(`completing job ${job.id}`, "completeJob", [held(job), outcome], job.id),
    retryJob: (job, error, notBefore) =>
      call(
        `scheduling a retry of job ${job.id}`,
        "retryJob",
        [held(job), error, notBefore],
        job.id,
      ),
    deadLetterJob: (job, error) =>
      call(`dead-lettering job ${job.id}`, "deadLetterJob", [held(job), error], job.id),
    releaseJob: (job) => call(`releasing job ${job.id}`, "releaseJob", [held(job)], job.id),
    deferJob: (job, notBefore, reason) =>
      call(`deferring job ${job.id}`, "deferJob", [held(job), notBefore, reason], job.id),
    async listDeliveries({ limit }) {
      return call("listing deliveries", "listDeliveries", [
        checkListLimit("listDeliveries", limit),
      ]);
    },
    getDelivery: (id) => call(`reading delivery ${id}`, "getDelivery", [id]),
    listDeliveryPage: async (query) =>
      call("listing a page of deliveries", "listDeliveryPage", [checkDeliveryQuery(query)]),
    getDeliveryDetail: (id) => call(`reading delivery ${id} in full`, "getDeliveryDetail", [id]),
    countJobs: (now) => call("counting jobs", "countJobs", [now.getTime()]),
    async listDeadLetters({ limit }) {
      return call("listing dead letters", "listDeadLetters", [
        checkListLimit("listDeadLetters", limit),
      ]);
    },
    replayDeadLetter: (jobId) => call(`replaying dead job ${jobId}`, "replayDeadLetter", [jobId]),
    rerunDelivery: (deliveryId) =>
      call(`re-running delivery ${deliveryId}`, "rerunDelivery", [deliveryId]),
    getLink: (key) => call(`reading link "${key}"`, "getLink", [key]),
    putLink: (link) => call(`writing link "${link.key}"`, "putLink", [link]),
    getIntent: (key) => call(`reading the create intent "${key}"`, "getIntent", [key]),
    dropIntent: (intent) =>
      call(`dropping the create intent "${intent.key}"`, "dropIntent", [intent.key, intent.token]),
    recordIntent: (job, intent, { replacing, now }) =>
      call(
        `recording the create intent "${intent.key}" of job ${job.id}`,
        "recordIntent",
        [held(job), intent, replacing?.token ?? null, now.getTime()],
        job.id,
      ),
    getState: (key) => call(`reading state "${key}"`, "getState", [key]),
    async setState(key, value) {
      if (value === undefined) {
        throw new Error(`setState: value for "${key}" is undefined; store null to clear it`);
      }
      return call(`writing state "${key}"`, "setState", [key, value]);
    },
    async insertStateIfAbsent(key, value) {
      if (value === undefined) {
        throw new Error(
          `insertStateIfAbsent: value for "${key}" is undefined; pass the value to keep (null allowed)`,
        );
      }
      return call(`creating state "${key}"`, "insertStateIfAbsent", [key, value]);
    },
    async claimLease({ name, holder, ttlMs, now }) {
      const row = await call(`claiming the lease "${name}" for ${holder}`, "claimLease", [
        name,
        holder,
        ttlMs,
        now.getTime(),
      ]);
      return {
        name: row.name,
        holder: row.holder,
        expiresAt: new Date(row.expires_at),
        held: row.held,
      };
    },
    releaseLease: (name, holder) =>
      call(`releasing the lease "${name}" of ${holder}`, "releaseLease", [name, holder]),
    async listLeases() {
      const rows = await call("listing leases", "listLeases", []);
      return rows.map((row) => ({
        name: row.name,
        holder: row.holder,
        expiresAt: new Date(row.expires_at),
      }));
    },
    prune: (olderThan) => call("pruning old deliveries", "prune", [olderThan]),
    async close() {
      if (closed) return;
      await deliveries.drain();
      closed = true;
      await sqlite.close();
    },
  };
}

function held(job: Job): HeldJob {
  return { id: job.id, leaseToken: job.leaseToken, attempts: job.attempts };
}
