import { randomUUID } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import type { BridgeEvent } from "../../events/bridge-event.ts";
import { effectsOfOutcome } from "../effects-of-outcome.ts";
import { packText } from "../pack-text.ts";
import type { PreparedDelivery } from "../prepare-delivery.ts";
import { resultsOutsideOutcome } from "../results-outside-outcome.ts";
import {
  type AttemptRecord,
  type ClaimOptions,
  type CreateIntent,
  type CreateIntentInput,
  type DeadLetter,
  type DeliveryDetail,
  type DeliveryDisposition,
  type DeliveryPage,
  type DeliveryQuery,
  type DeliverySummary,
  type EffectResult,
  type Job,
  type JobCounts,
  type JobOutcome,
  LeaseLostError,
  type Link,
  type LinkInput,
  type RecordDeliveryResult,
  type RerunResult,
} from "../store.ts";
import { storedText } from "../stored-text.ts";
import { toAttempt } from "../to-attempt.ts";
import { toDeliveryPage } from "../to-delivery-page.ts";
import { toDeliverySummary } from "../to-delivery-summary.ts";
import { wroteNothing } from "../wrote-nothing.ts";
import { createSqliteDedupeIndex } from "./create-sqlite-dedupe-index.ts";
import { prepareSqliteStatements, type SqliteStatements } from "./prepare-sqlite-statements.ts";
import { type GroupedOutcome, runSqliteWriteGroup } from "./run-sqlite-write-group.ts";
import { writeSqliteDeliveryBatch } from "./write-sqlite-delivery-batch.ts";

type Row = Record<string, unknown>;

/**
 * What the writes of a claimed job read of it: the whole job (its event, its effects' results) would
 * be copied to the SQLite thread with every call for nothing.
 */
export type HeldJob = Pick<Job, "id" | "leaseToken" | "attempts">;

/** What the SQLite worker thread can do; every call runs synchronously on its one connection. */
export type SqliteOperations = ReturnType<typeof createSqliteOperations>;

/**
 * The writes of ingest and of a running job, which the SQLite thread commits together when they
 * queue together (`writeGroup`), and whether each needs its own fsync: the recoverable ones are those
 * that commit through `writeRecoverable` when they run alone. An effect's result is durable unless
 * the effect wrote nothing (`wroteNothing`).
 */
export const GROUPED_WRITES = {
  recordDeliveries: "durable",
  recordEffect: "durable unless it wrote nothing",
  claimJob: "recoverable",
  renewLease: "recoverable",
  completeJob: "recoverable",
} as const;
export type GroupedWriteName = keyof typeof GROUPED_WRITES;

function isRecoverableWrite(operation: GroupedWriteName, args: readonly unknown[]): boolean {
  const kind = GROUPED_WRITES[operation];
  if (kind !== "durable unless it wrote nothing") return kind === "recoverable";
  const [, , result, links, resolvedIntents] = args as Parameters<SqliteOperations["recordEffect"]>;
  return wroteNothing(result, links, resolvedIntents);
}

/** The store's logic over an open, migrated database; inputs were already checked by the caller. */
/** A lease row as SQLite returns it (expiry in epoch milliseconds). */
interface LeaseRow {
  name: string;
  holder: string;
  expires_at: number;
}

export function createSqliteOperations(db: DatabaseSync) {
  const statements = prepareSqliteStatements(db);
  const dedupe = createSqliteDedupeIndex(db);

  function write<T>(body: () => T): T {
    // Inside a group's transaction (runSqliteWriteGroup), a write is a savepoint of it.
    if (db.isTransaction) return inSavepoint(body);
    db.exec("BEGIN IMMEDIATE");
    try {
      const result = body();
      db.exec("COMMIT");
      return result;
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
  }

  function inSavepoint<T>(body: () => T): T {
    db.exec("SAVEPOINT grouped_write");
    try {
      const result = body();
      db.exec("RELEASE grouped_write");
      return result;
    } catch (error) {
      db.exec("ROLLBACK TO grouped_write");
      db.exec("RELEASE grouped_write");
      throw error;
    }
  }

  /**
   * A write whose loss in a crash the queue recovers by itself, committed without its own fsync: a
   * lost claim or lease renewal leaves the job queued or its lease expiring, a lost completion leaves
   * it running until the lease expires and a new attempt finds every effect recorded. Anything that
   * matters after a claim (an intent, the result of an effect that wrote something, every ingest
   * batch) is a synchronous=FULL commit, and the WAL is written in order, so its fsync makes these
   * earlier commits durable too. A dry-run job, whose results wrote nothing, needs no fsync at all.
   */
  function writeRecoverable<T>(body: () => T): T {
    // A group decided its commit's safety level before it began.
    if (db.isTransaction) return write(body);
    db.exec("PRAGMA synchronous = NORMAL");
    try {
      return write(body);
    } finally {
      db.exec("PRAGMA synchronous = FULL");
    }
  }

  function mutateHeldJob(job: HeldJob, statement: keyof SqliteStatements, params: Row): void {
    const { changes } = statements[statement].run({
      id: job.id,
      token: job.leaseToken,
      now: Date.now(),
      ...params,
    } as Record<string, string | number | null>);
    if (Number(changes) === 0) throw new LeaseLostError(job.id);
  }

  /** The effect results recorded so far for a job still held with its lease token. */
  function heldEffectsOf(job: HeldJob): Record<string, EffectResult> {
    const held = statements.heldEffects.get({ id: job.id, token: job.leaseToken }) as
      | { completed_effects: string }
      | undefined;
    if (!held) throw new LeaseLostError(job.id);
    return JSON.parse(held.completed_effects) as Record<string, EffectResult>;
  }

  function recordAttempt(
    job: HeldJob,
    outcome: AttemptRecord["outcome"],
    error: string | null,
  ): void {
    statements.insertAttempt.run({
      jobId: job.id,
      attempt: job.attempts,
      outcome,
      error,
      now: Date.now(),
    });
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
    // The link is the create's recorded result.
    statements.resolveIntent.run({ key: link.key });
  }

  const operations = {
    recordDeliveries(items: PreparedDelivery[]): RecordDeliveryResult[] {
      try {
        return write(() => writeSqliteDeliveryBatch(statements, dedupe, items));
      } catch (error) {
        // What the rolled-back batch added to the index never reached the file.
        dedupe.invalidate();
        throw error;
      }
    },

    claimJob({ workerId, leaseMs, now = new Date() }: ClaimOptions): Job | undefined {
      return writeRecoverable(() => {
        const due = statements.findDueJob.get({ now: now.getTime() }) as { id: number | null };
        if (due.id === null) return undefined;
        const row = statements.leaseJob.get({
          id: due.id,
          token: randomUUID(),
          expiresAt: now.getTime() + leaseMs,
          workerId,
          now: now.getTime(),
        }) as Row;
        return {
          id: row.id as number,
          deliveryId: row.delivery_id as number,
          event: JSON.parse(storedText(row.event_packed, row.event)) as BridgeEvent,
          attempts: row.attempts as number,
          leaseToken: row.lease_token as string,
          leaseExpiresAt: new Date(row.lease_expires_at as number),
          completedEffects: JSON.parse(row.completed_effects as string) as Job["completedEffects"],
        };
      });
    },

    recordEffect(
      job: HeldJob,
      idempotencyKey: string,
      result: EffectResult,
      links: LinkInput[],
      resolvedIntents: string[],
    ): void {
      const commit = wroteNothing(result, links, resolvedIntents) ? writeRecoverable : write;
      commit(() => {
        const effects = heldEffectsOf(job);
        effects[idempotencyKey] = result;
        const now = Date.now();
        statements.setEffects.run({ id: job.id, effects: JSON.stringify(effects), now });
        for (const link of links) upsertLink(link, now);
        for (const key of resolvedIntents) statements.resolveIntent.run({ key });
      });
    },

    renewLease(job: HeldJob, leaseMs: number, now: number): number {
      const expiresAt = now + leaseMs;
      writeRecoverable(() => mutateHeldJob(job, "renewLease", { expiresAt }));
      return expiresAt;
    },

    getIntent(key: string): CreateIntent | undefined {
      const row = statements.getIntent.get({ key }) as Row | undefined;
      return row ? toIntent(row) : undefined;
    },

    dropIntent(key: string, token: string): void {
      write(() => {
        statements.dropIntent.run({ key, token });
      });
    },

    recordIntent(
      job: HeldJob,
      intent: CreateIntentInput,
      replacing: string | null,
      now: number,
    ): CreateIntent | undefined {
      return write(() => {
        if (!statements.heldEffects.get({ id: job.id, token: job.leaseToken })) {
          throw new LeaseLostError(job.id);
        }
        // Created and linked by another job since this one looked: creating again would duplicate it.
        if (statements.getLink.get({ key: intent.key })) return undefined;
        const row = {
          key: intent.key,
          kind: intent.kind,
          repo: intent.repo,
          jobId: job.id,
          token: randomUUID(),
          recordedAt: now,
        };
        const { changes } =
          replacing === null
            ? statements.insertIntent.run(row)
            : statements.replaceIntent.run({ ...row, replacing });
        if (Number(changes) === 0) return undefined;
        return toIntent({ ...row, job_id: row.jobId, recorded_at: row.recordedAt });
      });
    },

    completeJob(job: HeldJob, outcome: JobOutcome): void {
      writeRecoverable(() => {
        // Each result is stored once: a done job's are in its outcome (about a fifth of its row).
        mutateHeldJob(job, "completeJob", {
          outcomePacked: packText(JSON.stringify(outcome)),
          effects: JSON.stringify(resultsOutsideOutcome(heldEffectsOf(job), outcome)),
        });
        recordAttempt(job, "done", null);
      });
    },

    retryJob(job: HeldJob, error: string, notBefore: Date): void {
      write(() => {
        mutateHeldJob(job, "retryJob", { error, notBefore: notBefore.getTime() });
        recordAttempt(job, "retry", error);
      });
    },

    deadLetterJob(job: HeldJob, error: string): void {
      write(() => {
        mutateHeldJob(job, "deadLetterJob", { error });
        recordAttempt(job, "dead", error);
      });
    },

    releaseJob(job: HeldJob): void {
      write(() => mutateHeldJob(job, "releaseJob", {}));
    },

    deferJob(job: HeldJob, notBefore: Date, reason: string): void {
      write(() => mutateHeldJob(job, "deferJob", { notBefore: notBefore.getTime(), reason }));
    },

    listDeliveries(limit: number): DeliverySummary[] {
      return (statements.listDeliveries.all({ limit }) as Row[]).map(toSummary);
    },

    getDelivery(id: number): DeliverySummary | undefined {
      const row = statements.getDelivery.get({ id }) as Row | undefined;
      return row ? toSummary(row) : undefined;
    },

    listDeliveryPage(query: DeliveryQuery): DeliveryPage {
      const rows = statements.listDeliveryPage.all({
        limit: query.limit + 1,
        beforeId: query.beforeId ?? null,
        eventKind: query.eventKind ?? null,
        hubRepo: query.hubRepo ?? null,
        state: query.state ?? null,
      }) as Row[];
      return toDeliveryPage(rows.map(toSummary), query.limit);
    },

    getDeliveryDetail(id: number): DeliveryDetail | undefined {
      const row = statements.getDeliveryDetail.get({ id }) as Row | undefined;
      if (!row) return undefined;
      const summary = toSummary(row);
      const detail: DeliveryDetail = {
        summary,
        body: storedText(row.body_packed, row.body),
        headers: JSON.parse(storedText(row.headers_packed, row.headers)) as Record<string, string>,
        completedEffects: {
          ...effectsOfOutcome(summary.outcome),
          ...(row.completed_effects === null
            ? {}
            : (JSON.parse(row.completed_effects as string) as Record<string, EffectResult>)),
        },
        attempts:
          row.job_id === null
            ? []
            : (statements.listAttempts.all({ jobId: row.job_id as number }) as Row[]).map((a) =>
                toAttempt(a, new Date(a.ended_at as number)),
              ),
      };
      if (row.event !== null) {
        detail.event = JSON.parse(storedText(row.event_packed, row.event)) as BridgeEvent;
      }
      return detail;
    },

    countJobs(now: number): JobCounts {
      const row = statements.countJobs.get({ now }) as Row;
      return {
        queued: Number(row.queued),
        running: Number(row.running),
        dead: Number(row.dead),
        oldestDueAt: row.oldest_due === null ? undefined : new Date(row.oldest_due as number),
      };
    },

    listDeadLetters(limit: number): DeadLetter[] {
      return (statements.listDeadLetters.all({ limit }) as Row[]).map((row) => ({
        jobId: row.id as number,
        deliveryId: row.delivery_id as number,
        event: JSON.parse(storedText(row.event_packed, row.event)) as BridgeEvent,
        attempts: row.attempts as number,
        lastError: (row.last_error as string | null) ?? "",
        failedAt: new Date(row.updated_at as number),
        body: storedText(row.body_packed, row.body),
      }));
    },

    replayDeadLetter(jobId: number): boolean {
      return write(
        () => Number(statements.replayDeadLetter.run({ id: jobId, now: Date.now() }).changes) > 0,
      );
    },

    rerunDelivery(deliveryId: number): RerunResult {
      return write(() => {
        const row = statements.jobOfDelivery.get({ id: deliveryId }) as Row | undefined;
        if (!row) return { status: "missing" };
        if (row.job_id === null) {
          return { status: "no-job", disposition: row.disposition as DeliveryDisposition };
        }
        const jobId = row.job_id as number;
        const changes = statements.rerunJob.run({ id: jobId, now: Date.now() }).changes;
        if (Number(changes) === 1) return { status: "requeued", jobId };
        return { status: "live", jobId, jobState: row.job_state as "queued" | "running" };
      });
    },

    getLink(key: string): Link | undefined {
      const row = statements.getLink.get({ key }) as Row | undefined;
      if (!row) return undefined;
      const link: Link = {
        key: row.key as string,
        kind: row.kind as string,
        repo: row.repo as string,
        githubId: row.github_id as number,
        updatedAt: new Date(row.updated_at as number),
      };
      if (row.github_number !== null) link.githubNumber = row.github_number as number;
      if (row.state !== null) link.state = JSON.parse(row.state as string);
      return link;
    },

    putLink(link: LinkInput): void {
      write(() => upsertLink(link, Date.now()));
    },

    getState(key: string): unknown {
      const row = statements.getState.get({ key }) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as unknown) : undefined;
    },

    setState(key: string, value: unknown): void {
      write(() => {
        statements.setState.run({ key, value: JSON.stringify(value), now: Date.now() });
      });
    },

    insertStateIfAbsent(key: string, value: unknown): unknown {
      return write(() => {
        statements.insertStateIfAbsent.run({ key, value: JSON.stringify(value), now: Date.now() });
        const row = statements.getState.get({ key }) as { value: string };
        return JSON.parse(row.value) as unknown;
      });
    },

    claimLease(
      name: string,
      holder: string,
      ttlMs: number,
      now: number,
    ): LeaseRow & { held: boolean } {
      return write(() => {
        const granted = statements.claimLease.get({
          name,
          holder,
          expiresAt: now + ttlMs,
          now,
        }) as unknown as LeaseRow | undefined;
        if (granted) return { ...granted, held: true };
        return { ...(statements.getLease.get({ name }) as unknown as LeaseRow), held: false };
      });
    },

    releaseLease(name: string, holder: string): void {
      write(() => {
        statements.releaseLease.run({ name, holder });
      });
    },

    listLeases(): LeaseRow[] {
      return statements.listLeases.all({}) as unknown as LeaseRow[];
    },

    prune(olderThan: Date): number {
      const pruned = write(() => {
        const rows = statements.prunable.all({ olderThan: olderThan.getTime() }) as Array<{
          id: number;
          dedupe_hash: number;
          webhook_hash: number | null;
        }>;
        for (const { id } of rows) {
          statements.pruneAttempts.run({ id });
          statements.pruneJob.run({ id });
          statements.pruneDelivery.run({ id });
        }
        statements.pruneIntents.run({ olderThan: olderThan.getTime() });
        return rows;
      });
      // Only once committed: a rolled-back prune keeps its deliveries, and so their keys.
      for (const row of pruned) {
        dedupe.remove(row.dedupe_hash, row.id);
        if (row.webhook_hash !== null) dedupe.remove(row.webhook_hash, row.id);
      }
      return pruned.length;
    },

    /** Writes that queued together, in one transaction; the SQLite thread's own call, with its requests. */
    writeGroup(
      calls: ReadonlyArray<{ operation: GroupedWriteName; args: unknown[] }>,
    ): GroupedOutcome[] {
      return runSqliteWriteGroup(
        db,
        calls.map(({ operation, args }) => ({
          run: () => (operations[operation] as (...values: unknown[]) => unknown)(...args),
          recoverable: isRecoverableWrite(operation, args),
        })),
        // What the group's delivery batches added to the index never reached the file.
        () => dedupe.invalidate(),
      );
    },
  };
  return operations;
}

function toIntent(row: Row): CreateIntent {
  return {
    key: row.key as string,
    kind: row.kind as string,
    repo: row.repo as string,
    jobId: row.job_id as number,
    token: row.token as string,
    recordedAt: new Date(row.recorded_at as number),
  };
}

function toSummary(row: Row): DeliverySummary {
  return toDeliverySummary(row, {
    receivedAt: new Date(row.received_at as number),
    outcome:
      row.outcome === null && row.outcome_packed === null
        ? undefined
        : (JSON.parse(storedText(row.outcome_packed, row.outcome)) as JobOutcome),
    notBefore: row.not_before === null ? undefined : new Date(row.not_before as number),
  });
}
