import { randomUUID } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import type { BridgeEvent } from "../../events/bridge-event.ts";
import { asStoreUnavailable } from "../as-store-unavailable.ts";
import { checkListLimit } from "../check-list-limit.ts";
import { createGroupCommit } from "../create-group-commit.ts";
import { type PreparedDelivery, prepareDelivery } from "../prepare-delivery.ts";
import {
  type DeliverySummary,
  type Job,
  LeaseLostError,
  type LinkInput,
  type RecordDeliveryResult,
  type Store,
  StoreUnavailableError,
} from "../store.ts";
import { migrateSqlite } from "./migrate-sqlite.ts";
import { prepareSqliteStatements } from "./prepare-sqlite-statements.ts";
import { writeSqliteDeliveryBatch } from "./write-sqlite-delivery-batch.ts";

/** Waiting this long for another process's write lock beats answering 503 at the first contention. */
const BUSY_TIMEOUT_MS = 5000;
/** Bounds one transaction's size, so a burst cannot hold the write lock (and the event loop) for long. */
const MAX_DELIVERY_BATCH = 512;

type Row = Record<string, unknown>;

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so every resolved write
 * survives a power cut. Deliveries are group-committed: concurrent calls share one transaction.
 */
export async function createSqliteStore(options: { path: string }): Promise<Store> {
  const { path } = options;
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    migrateSqlite(db, path);
  } catch (error) {
    throw new StoreUnavailableError(
      `SQLite store "${path}" cannot be opened: ${error instanceof Error ? error.message : String(error)}; check that the directory exists and is writable`,
      { cause: error },
    );
  }
  const statements = prepareSqliteStatements(db);
  let closed = false;

  const deliveries = createGroupCommit<PreparedDelivery, RecordDeliveryResult>({
    maxBatch: MAX_DELIVERY_BATCH,
    commit(items) {
      try {
        return writeSqliteDeliveryBatch(db, statements, items);
      } catch (error) {
        throw asStoreUnavailable(`recording ${items.length} deliveries`, error);
      }
    },
  });

  /** Runs a write in its own IMMEDIATE transaction and maps failures to the store's error types. */
  function write<T>(operation: string, body: () => T): Promise<T> {
    try {
      if (closed) throw new Error("the store is closed");
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = body();
        db.exec("COMMIT");
        return Promise.resolve(result);
      } catch (error) {
        if (db.isTransaction) db.exec("ROLLBACK");
        throw error;
      }
    } catch (error) {
      return Promise.reject(asStoreUnavailable(operation, error));
    }
  }

  function read<T>(operation: string, body: () => T): Promise<T> {
    try {
      if (closed) throw new Error("the store is closed");
      return Promise.resolve(body());
    } catch (error) {
      return Promise.reject(asStoreUnavailable(operation, error));
    }
  }

  function mutateHeldJob(job: Job, statement: keyof typeof statements, params: Row): void {
    const { changes } = statements[statement].run({
      id: job.id,
      token: job.leaseToken,
      now: Date.now(),
      ...params,
    } as Record<string, string | number | null>);
    if (Number(changes) === 0) throw new LeaseLostError(job.id);
  }

  function upsertLink(link: LinkInput, now: number): void {
    statements.upsertLink.run({
      key: link.key,
      kind: link.kind,
      repo: link.repo,
      githubId: link.githubId,
      githubNumber: link.githubNumber ?? null,
      state: link.state === undefined ? null : JSON.stringify(link.state),
      now,
    });
  }

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

    claimJob({ workerId, leaseMs, now = new Date() }) {
      return write("claiming a job", () => {
        const due = statements.findDueJob.get({ now: now.getTime() }) as { id: number | null };
        if (due.id === null) return undefined;
        const row = statements.leaseJob.get({
          id: due.id,
          token: randomUUID(),
          expiresAt: now.getTime() + leaseMs,
          workerId,
          now: now.getTime(),
        }) as Row;
        return toJob(row);
      });
    },

    recordEffect(job, idempotencyKey, result, links = []) {
      return write(`recording effect "${idempotencyKey}" of job ${job.id}`, () => {
        const held = statements.heldEffects.get({ id: job.id, token: job.leaseToken }) as
          | { completed_effects: string }
          | undefined;
        if (!held) throw new LeaseLostError(job.id);
        const effects = JSON.parse(held.completed_effects) as Record<string, unknown>;
        effects[idempotencyKey] = result;
        const now = Date.now();
        statements.setEffects.run({ id: job.id, effects: JSON.stringify(effects), now });
        for (const link of links) upsertLink(link, now);
      });
    },

    completeJob(job, outcome) {
      return write(`completing job ${job.id}`, () =>
        mutateHeldJob(job, "completeJob", { outcome: JSON.stringify(outcome) }),
      );
    },

    retryJob(job, error, notBefore) {
      return write(`scheduling a retry of job ${job.id}`, () =>
        mutateHeldJob(job, "retryJob", { error, notBefore: notBefore.getTime() }),
      );
    },

    deadLetterJob(job, error) {
      return write(`dead-lettering job ${job.id}`, () =>
        mutateHeldJob(job, "deadLetterJob", { error }),
      );
    },

    releaseJob(job) {
      return write(`releasing job ${job.id}`, () => mutateHeldJob(job, "releaseJob", {}));
    },

    deferJob(job, notBefore, reason) {
      return write(`deferring job ${job.id}`, () =>
        mutateHeldJob(job, "deferJob", { notBefore: notBefore.getTime(), reason }),
      );
    },

    listDeliveries({ limit }) {
      return read("listing deliveries", () =>
        (
          statements.listDeliveries.all({ limit: checkListLimit("listDeliveries", limit) }) as Row[]
        ).map(toSummary),
      );
    },

    getDelivery(id) {
      return read(`reading delivery ${id}`, () => {
        const row = statements.getDelivery.get({ id }) as Row | undefined;
        return row ? toSummary(row) : undefined;
      });
    },

    listDeadLetters({ limit }) {
      return read("listing dead letters", () =>
        (
          statements.listDeadLetters.all({
            limit: checkListLimit("listDeadLetters", limit),
          }) as Row[]
        ).map((row) => ({
          jobId: row.id as number,
          deliveryId: row.delivery_id as number,
          event: JSON.parse(row.event as string) as BridgeEvent,
          attempts: row.attempts as number,
          lastError: (row.last_error as string | null) ?? "",
          failedAt: new Date(row.updated_at as number),
          body: row.body as string,
        })),
      );
    },

    replayDeadLetter(jobId) {
      return write(
        `replaying dead job ${jobId}`,
        () => Number(statements.replayDeadLetter.run({ id: jobId, now: Date.now() }).changes) > 0,
      );
    },

    getLink(key) {
      return read(`reading link "${key}"`, () => {
        const row = statements.getLink.get({ key }) as Row | undefined;
        if (!row) return undefined;
        return {
          key: row.key as string,
          kind: row.kind as string,
          repo: row.repo as string,
          githubId: row.github_id as number,
          ...(row.github_number === null ? {} : { githubNumber: row.github_number as number }),
          ...(row.state === null
            ? {}
            : { state: JSON.parse(row.state as string) as Record<string, unknown> }),
          updatedAt: new Date(row.updated_at as number),
        };
      });
    },

    putLink(link) {
      return write(`writing link "${link.key}"`, () => upsertLink(link, Date.now()));
    },

    getState(key) {
      return read(`reading state "${key}"`, () => {
        const row = statements.getState.get({ key }) as { value: string } | undefined;
        return row ? (JSON.parse(row.value) as unknown) : undefined;
      });
    },

    setState(key, value) {
      if (value === undefined) {
        return Promise.reject(
          new Error(`setState: value for "${key}" is undefined; store null to clear it`),
        );
      }
      return write(`writing state "${key}"`, () => {
        statements.setState.run({ key, value: JSON.stringify(value), now: Date.now() });
      });
    },

    prune(olderThan) {
      return write("pruning old deliveries", () => {
        const rows = statements.prunable.all({ olderThan: olderThan.getTime() }) as Array<{
          delivery_id: number;
        }>;
        for (const { delivery_id: id } of rows) {
          statements.pruneJob.run({ id });
          statements.pruneDedupe.run({ id });
          statements.pruneDelivery.run({ id });
        }
        return rows.length;
      });
    },

    async close() {
      if (closed) return;
      await deliveries.drain();
      closed = true;
      db.close();
    },
  };
}

function toJob(row: Row): Job {
  return {
    id: row.id as number,
    deliveryId: row.delivery_id as number,
    event: JSON.parse(row.event as string) as BridgeEvent,
    attempts: row.attempts as number,
    leaseToken: row.lease_token as string,
    leaseExpiresAt: new Date(row.lease_expires_at as number),
    completedEffects: JSON.parse(row.completed_effects as string) as Job["completedEffects"],
  };
}

function toSummary(row: Row): DeliverySummary {
  const optional = (value: unknown) => (value === null ? undefined : value);
  const summary: DeliverySummary = {
    id: row.id as number,
    source: row.source as DeliverySummary["source"],
    receivedAt: new Date(row.received_at as number),
    dedupeKey: row.dedupe_key as string,
    disposition: row.disposition as DeliverySummary["disposition"],
    duplicates: row.duplicates as number,
  };
  const extras: Partial<DeliverySummary> = {
    reason: optional(row.reason) as string | undefined,
    eventKind: optional(row.event_kind) as string | undefined,
    jobId: optional(row.job_id) as number | undefined,
    jobState: optional(row.job_state) as DeliverySummary["jobState"],
    attempts: optional(row.attempts) as number | undefined,
    lastError: optional(row.last_error) as string | undefined,
    outcome: row.outcome === null ? undefined : JSON.parse(row.outcome as string),
  };
  for (const [name, value] of Object.entries(extras)) {
    if (value !== undefined) Object.assign(summary, { [name]: value });
  }
  return summary;
}
