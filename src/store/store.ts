import type { PlannedEffect } from "../effects/effect.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import type { WriteSchedule } from "./write-schedule.ts";

export type DeliverySource =
  | "hub"
  | "github"
  | "endpoint-post"
  | "endpoint-poller"
  | "space-poller"
  /** The bridge's own health checks (`alerts`). */
  | "alarm-monitor";

/** What the receiver decided: queue a job, acknowledge and ignore, or refuse (kept for inspection). */
export type DeliveryDisposition = "queued" | "ignored" | "rejected";

export interface NewDelivery {
  source: DeliverySource;
  receivedAt: Date;
  dedupeKey: string;
  /**
   * The sender's own id for this delivery (the Hub's `Webhook-Id` header), stable across its retries
   * and Replays. When present it is the first dedupe check and `dedupeKey` the second: a delivery that
   * matches either is a duplicate. The id makes a retry whose body changed between attempts one
   * delivery; the payload key keeps the same change sent under another id (a sender that mints an id
   * per attempt, a copy from before the header existed) from running twice. So two ids are two
   * deliveries only when their payload keys differ too: effects stay exactly-once per change.
   */
  webhookId?: string;
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

/** What `rerunDelivery` did: re-queued the job, or why not (no such delivery, no job, still live). */
export type RerunResult =
  | { status: "requeued"; jobId: number }
  | { status: "missing" }
  | { status: "no-job"; disposition: DeliveryDisposition }
  | { status: "live"; jobId: number; jobState: "queued" | "running" };

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

/**
 * "About to create X", recorded right before a create's request is sent. Until the create's result
 * is recorded (a link with the same key, or `recordEffect`'s `resolvedIntents`), whoever creates X
 * next must look for it on GitHub first: the request may have landed although its answer was lost.
 */
export interface CreateIntent {
  /** What the create makes: its link key, or a key the executor derives (dispatches). */
  key: string;
  /** What kind of GitHub object: issue, comment, check-run, repository-dispatch, … */
  kind: string;
  /** `owner/repo` the create is sent to. */
  repo: string;
  /** The job that recorded it. */
  jobId: number;
  /** New for every recording, so two workers cannot both take over the same stale intent. */
  token: string;
  /** When the request was about to be sent: a lookup proves nothing until it can no longer land. */
  recordedAt: Date;
}

export type CreateIntentInput = Pick<CreateIntent, "key" | "kind" | "repo">;

export interface JobOutcome {
  summary: string;
  effects: Array<{ effect: PlannedEffect; result: EffectResult }>;
}

export interface DeliverySummary {
  id: number;
  source: DeliverySource;
  receivedAt: Date;
  dedupeKey: string;
  webhookId?: string;
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
  /** `owner/name` of the Hub repo the queued event is about; unknown for ignored and rejected ones. */
  hubRepo?: string;
  /** When a job that failed before (retrying) or was deferred runs again. */
  nextAttemptAt?: Date;
}

/**
 * What a delivery came to in one word: its job's state, "retrying" for a queued job that already
 * failed once, or the disposition of a delivery that got no job.
 */
export type DeliveryState = JobState | "retrying" | "ignored" | "rejected";

export const DELIVERY_STATES: readonly DeliveryState[] = [
  "queued",
  "running",
  "retrying",
  "done",
  "dead",
  "ignored",
  "rejected",
];

/** One page of the operator console's delivery list: newest first, filters all optional. */
export interface DeliveryQuery {
  limit: number;
  /** Only deliveries with a smaller id: the `nextBeforeId` of the previous page. */
  beforeId?: number;
  state?: DeliveryState;
  /** Hub repo `owner/name`, exactly. */
  hubRepo?: string;
  /** Event kind such as `discussion.opened`, exactly. */
  eventKind?: string;
}

export interface DeliveryPage {
  deliveries: DeliverySummary[];
  /** Pass as `beforeId` for the next (older) page; undefined on the last page. */
  nextBeforeId?: number;
}

/** How one attempt of a job ended, as the delivery's detail lists them (oldest first). */
export interface AttemptRecord {
  /** The job's attempt count when it ended (a replay starts counting again from 1). */
  attempt: number;
  /** done, retry (failed, another attempt is scheduled) or dead (failed for good). */
  outcome: "done" | "retry" | "dead";
  error?: string;
  endedAt: Date;
}

/** Everything stored about one delivery, for its detail page. */
export interface DeliveryDetail {
  summary: DeliverySummary;
  /** The body exactly as received. */
  body: string;
  /** Request headers as stored (the secret header was never stored). */
  headers: Record<string, string>;
  /** The normalized event, for queued deliveries. */
  event?: BridgeEvent;
  /** Effects executed so far by any attempt, by idempotency key (the outcome has them once done). */
  completedEffects: Record<string, EffectResult>;
  /** Every finished attempt of its job, oldest first, with its error. */
  attempts: AttemptRecord[];
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

interface ClaimLeaseOptions {
  /** What is leased, e.g. `endpoint-poller:acme`. */
  name: string;
  /** Who asks: stable for one process (host and pid), different between replicas. */
  holder: string;
  ttlMs: number;
  now: Date;
}

export interface LeaseRecord {
  name: string;
  holder: string;
  expiresAt: Date;
}

interface LeaseClaim extends LeaseRecord {
  /** Whether the asking holder has the lease now; when false, `holder` and `expiresAt` are the other's. */
  held: boolean;
}

/**
 * The one persistence interface. SQLite (embedded default) and PostgreSQL (several replicas)
 * implement it and pass the same conformance suite in test/store/.
 */
export interface Store {
  /**
   * True when several processes may run on this store as replicas of one bridge (PostgreSQL): work
   * one replica must do alone (polling a namespace) then takes a lease first. False for SQLite.
   */
  readonly shared: boolean;
  /**
   * On a shared store, GitHub's write limits kept for the whole fleet (one write in flight per lane,
   * spacing, rolling caps, rate-limit pauses, thread write budgets). Absent on SQLite, whose one
   * process keeps them in memory.
   */
  readonly writeSchedule?: WriteSchedule;

  /**
   * Stores a delivery once per dedupe key and, when queued, its job, in one transaction. Resolves only
   * when that transaction is durable; rejects with StoreUnavailableError when it cannot be written.
   */
  recordDelivery(delivery: NewDelivery): Promise<RecordDeliveryResult>;

  /** Takes the oldest due job (queued, or running with an expired lease) and leases it. */
  claimJob(options: ClaimOptions): Promise<Job | undefined>;
  /**
   * Records one executed effect, and the links it created, in one transaction. Every link written
   * resolves the create intent of the same key; `resolvedIntents` names further intents the result
   * resolves (creates that leave no link, such as dispatches).
   */
  recordEffect(
    job: Job,
    idempotencyKey: string,
    result: EffectResult,
    links?: LinkInput[],
    resolvedIntents?: string[],
  ): Promise<void>;
  /**
   * Extends a running job's lease to `now + leaseMs` (a heartbeat), keeping its token; resolves with
   * the new expiry. LeaseLostError when the job is no longer held with this token.
   */
  renewLease(job: Job, leaseMs: number, now: Date): Promise<Date>;
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
  /** The console's list: newest first, filtered, one page at a time (see DeliveryQuery). */
  listDeliveryPage(query: DeliveryQuery): Promise<DeliveryPage>;
  getDeliveryDetail(id: number): Promise<DeliveryDetail | undefined>;
  listDeadLetters(options: { limit: number }): Promise<DeadLetter[]>;
  /** Re-queues a dead job with its attempts reset; returns false when no dead job has that id. */
  replayDeadLetter(jobId: number): Promise<boolean>;
  /**
   * Runs a stored delivery's job again on purpose (an operator's forced replay): a finished or dead job
   * goes back to the queue with its attempts and completed effects cleared, so every effect is planned
   * and executed again (idempotent on GitHub through links and create intents).
   */
  rerunDelivery(deliveryId: number): Promise<RerunResult>;

  getLink(key: string): Promise<Link | undefined>;
  /** Writes a link and resolves the create intent of the same key, in one transaction. */
  putLink(link: LinkInput): Promise<void>;

  /** The create intent for `key` that has no recorded result yet, if any. */
  getIntent(key: string): Promise<CreateIntent | undefined>;
  /**
   * Records that `job` is about to send a create, in place of `replacing`: the unresolved intent the
   * caller looked at (undefined when it saw none). Resolves with the new intent, or undefined when
   * the key's intent is no longer `replacing` (another worker recorded one first, so the caller must
   * look again instead of creating), and when a link with the key exists (another job created and
   * linked the object since the caller looked). LeaseLostError when the job is no longer held.
   */
  recordIntent(
    job: Job,
    intent: CreateIntentInput,
    options: { replacing: CreateIntent | undefined; now: Date },
  ): Promise<CreateIntent | undefined>;
  /**
   * Forgets an intent whose create GitHub answered without creating anything (a 4xx, a rate limit),
   * unless a newer recording (another token) replaced it meanwhile.
   */
  dropIntent(intent: CreateIntent): Promise<void>;

  /** Small durable key-value state for pollers (last seen endpoint states, cursors). */
  getState(key: string): Promise<unknown>;
  setState(key: string, value: unknown): Promise<void>;
  /**
   * Stores `value` under `key` only when the key has no value yet, and resolves with the value the
   * store holds afterwards: `value` when this call stored it, the earlier one otherwise. Replicas that
   * race on the same key all resolve with the one value that was stored first.
   */
  insertStateIfAbsent(key: string, value: unknown): Promise<unknown>;

  /**
   * Takes or renews the lease `name` for `holder` until `now + ttlMs`: granted when nobody holds it,
   * when its last holder's expiry has passed (a takeover), or when `holder` already holds it. Resolves
   * with the lease as stored afterwards; `held` says whether `holder` has it. One holder at a time.
   */
  claimLease(options: ClaimLeaseOptions): Promise<LeaseClaim>;
  /** Gives the lease up if `holder` still holds it (a graceful stop), so another replica need not wait. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** Every lease row (held or expired), by name, for `/metrics` and the page. */
  listLeases(): Promise<LeaseRecord[]>;

  /**
   * Forgets dedupe records, and the deliveries and finished jobs behind them, older than the date,
   * and intents older than it whose job is finished or gone.
   */
  prune(olderThan: Date): Promise<number>;
  close(): Promise<void>;
}
