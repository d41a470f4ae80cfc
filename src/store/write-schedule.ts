/** GitHub's write limits for one lane (an installation, or a token), in milliseconds and counts. */
export interface WriteLimits {
  msBetweenWrites: number;
  msBetweenContentWrites: number;
  contentWritesPerMinute: number;
  contentWritesPerHour: number;
}

/** "content" writes notify people (issue and comment creation) and count toward GitHub's content limits. */
export type WriteKind = "write" | "content";

/** What a lane's schedule remembers; times are epoch milliseconds of the bridge's clock. */
export interface LaneSchedule {
  lastWriteEnd: number;
  lastContentEnd: number;
  /** Start times of content writes in the last hour, oldest first. */
  contentStarts: number[];
  pausedUntil: number;
  pauseReason: string;
}

interface WriteSlotRequest {
  lane: string;
  kind: WriteKind;
  limits: WriteLimits;
  now: number;
  /** How long the slot is held unless released first: past it, a holder that died no longer blocks. */
  holdMs: number;
}

type WriteSlotAnswer =
  | { granted: true; token: string }
  /** Not before `at`: a limit (named in `reason`) or another replica's write in flight. */
  | { granted: false; at: number; reason: string };

interface WriteSlotRelease {
  lane: string;
  token: string;
  kind: WriteKind;
  /** When the write ended; spacing counts from here. */
  now: number;
  /** A rate limit GitHub answered the write with, to hold every replica's writes on the lane. */
  pause?: { until: number; reason: string };
}

/** One lane's schedule as the page and `/metrics` show it. */
export interface WriteLaneRecord {
  lane: string;
  /** Content writes started in the last hour (GitHub allows 500). */
  contentWritesLastHour: number;
  /** Until when a rate limit holds the lane's writes (epoch ms); in the past when none does. */
  pausedUntil: number;
  /** Whether a write holds the lane now. */
  busy: boolean;
}

/**
 * GitHub's limits shared by every replica on one store (PostgreSQL): one write in flight per lane
 * across the fleet, the spacing and rolling caps counted over every replica's writes, a rate limit
 * seen by one replica holding the others, and each thread's write budget counted fleet-wide.
 */
export interface WriteSchedule {
  /** Takes the lane for one write when its limits allow it now; otherwise says when to ask again. */
  claim(request: WriteSlotRequest): Promise<WriteSlotAnswer>;
  /** Ends the write: frees the lane if the slot is still this token's, and records the write's end. */
  release(release: WriteSlotRelease): Promise<void>;
  /** Writes the thread received since `since` (epoch ms), this one counted when `record` is set. */
  countThreadWrites(thread: string, since: number, record?: { at: number }): Promise<number>;
  listLanes(now: number): Promise<WriteLaneRecord[]>;
}
