import type { BridgeEvent } from "../events/bridge-event.ts";
import type { PlannedEffect } from "../rules/effect.ts";

export type DeliverySource =
  | "hub"
  | "github"
  | "endpoint-post"
  | "endpoint-poller"
  | "space-poller";

/** What the receiver decided: queue a job, acknowledge and ignore, or refuse (kept for inspection). */
export type DeliveryDisposition = "queued" | "ignored" | "rejected";

export interface NewDelivery {
  source: DeliverySource;
  receivedAt: Date;
  dedupeKey: string;
  /** The body exactly as received. Secrets never travel in it (header or query only). */
  body: string;
  /** Request headers with the secret header removed. */
  headers: Record<string, string>;
  disposition: DeliveryDisposition;
  /** Why it was ignored or rejected; notes such as "legacy v2 mapped" for queued ones. */
  reason?: string;
  /** Present exactly when disposition is "queued". */
  event?: BridgeEvent;
  /**
   * The kind of an event that was understood but not queued (no route covers it), so lists can say
   * what was ignored; queued deliveries take it from their event.
   */
  eventKind?: BridgeEvent["kind"];
}

export type RecordDeliveryResult =
  | { status: "accepted"; deliveryId: number; jobId?: number }
  | { status: "duplicate"; deliveryId: number };

export type JobState = "queued" | "running" | "done" | "dead";

export interface Job {
  id: number;
  deliveryId: number;
  event: BridgeEvent;
  /** Attempts started so far, this one included. */
  attempts: number;
  /** Proves the caller still holds the lease; a job whose lease expired belongs to someone else. */
  leaseToken: string;
  leaseExpiresAt: Date;
  /** Results of effects already executed by earlier attempts, by idempotency key. */
  completedEffects: Record<string, EffectResult>;
}

export interface EffectResult {
  /** "done", "skipped" (nothing to do), "planned" (dry-run), or "accepted" (GitHub gave no run id). */
  status: "done" | "skipped" | "planned" | "accepted";
  detail?: string;
  githubId?: number;
  url?: string;
}

export interface Link {
  key: string;
  /** What the GitHub object is: issue, comment, check-run, … */
  kind: string;
  repo: string;
  githubId: number;
  /** Issue number for issues, the REST id for everything else. */
  githubNumber?: number;
  /** Free-form state a feature keeps beside the link (e.g. last applied Hub status). */
  state?: Record<string, unknown>;
  updatedAt: Date;
}

export type LinkInput = Omit<Link, "updatedAt">;

export interface JobOutcome {
  summary: string;
  effects: Array<{ effect: PlannedEffect; result: EffectResult }>;
}

export interface DeliverySummary {
  id: number;
  source: DeliverySource;
  receivedAt: Date;
  dedupeKey: string;
  disposition: DeliveryDisposition;
  reason?: string;
  eventKind?: string;
  /** How many identical deliveries arrived after the first. */
  duplicates: number;
  jobId?: number;
  jobState?: JobState;
  attempts?: number;
  lastError?: string;
  outcome?: JobOutcome;
}

export interface DeadLetter {
  jobId: number;
  deliveryId: number;
  event: BridgeEvent;
  attempts: number;
  lastError: string;
  failedAt: Date;
  body: string;
}

/** What monitoring reads from the queue: jobs by state, and how long the longest-waiting due job has waited. */
export interface JobCounts {
  queued: number;
  running: number;
  dead: number;
  /** When the oldest queued job that is due became due; undefined when none is due. */
  oldestDueAt: Date | undefined;
}

export interface ClaimOptions {
  workerId: string;
  leaseMs: number;
  now?: Date;
}

/** Thrown when a job's lease expired and another worker took it: the caller must drop its result. */
export class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`job ${jobId}: lease lost to another worker; its result was not recorded`);
    this.name = "LeaseLostError";
  }
}

/** Thrown (or rejected with) when the store cannot write; the HTTP edge answers 503. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/**
 * The one persistence interface. SQLite (embedded default) and PostgreSQL (several replicas)
 * implement it and pass the same conformance suite in test/store/.
 */
export interface Store {
  /**
   * Stores a delivery once per dedupe key and, when queued, its job, in one transaction. Resolves only
   * when that transaction is durable; rejects with StoreUnavailableError when it cannot be written.
   */
  recordDelivery(delivery: NewDelivery): Promise<RecordDeliveryResult>;

  /** Takes the oldest due job (queued, or running with an expired lease) and leases it. */
  claimJob(options: ClaimOptions): Promise<Job | undefined>;
  /** Records one executed effect, and the links it created, in one transaction. */
  recordEffect(
    job: Job,
    idempotencyKey: string,
    result: EffectResult,
    links?: LinkInput[],
  ): Promise<void>;
  completeJob(job: Job, outcome: JobOutcome): Promise<void>;
  /** Puts the job back for a later attempt (backoff decided by the caller). */
  retryJob(job: Job, error: string, notBefore: Date): Promise<void>;
  deadLetterJob(job: Job, error: string): Promise<void>;
  /** Gives a job back without counting the attempt (graceful shutdown). */
  releaseJob(job: Job): Promise<void>;
  /** Delays a job without counting an attempt (rate-limit waits). */
  deferJob(job: Job, notBefore: Date, reason: string): Promise<void>;

  /** Counts for monitoring; `now` decides which queued jobs are due. */
  countJobs(now: Date): Promise<JobCounts>;
  listDeliveries(options: { limit: number }): Promise<DeliverySummary[]>;
  getDelivery(id: number): Promise<DeliverySummary | undefined>;
  listDeadLetters(options: { limit: number }): Promise<DeadLetter[]>;
  /** Re-queues a dead job with its attempts reset; returns false when no dead job has that id. */
  replayDeadLetter(jobId: number): Promise<boolean>;

  getLink(key: string): Promise<Link | undefined>;
  putLink(link: LinkInput): Promise<void>;

  /** Small durable key-value state for pollers (last seen endpoint states, cursors). */
  getState(key: string): Promise<unknown>;
  setState(key: string, value: unknown): Promise<void>;

  /** Forgets dedupe records, and the deliveries and finished jobs behind them, older than the date. */
  prune(olderThan: Date): Promise<number>;
  close(): Promise<void>;
}
