import { HUB_REQUEST_TIMEOUT_MS } from "../hub/create-hub-client.ts";
import { describeJobError } from "../jobs/describe-job-error.ts";
import { RetryLaterError } from "../jobs/job-errors.ts";
import type { Store } from "../store/store.ts";
import { classifyHubFailure } from "./classify-hub-failure.ts";

/**
 * How long after it started a Hub write may still land: the client gives up at the request timeout,
 * but the Hub may still be processing the request then; half a minute more lets such a write finish.
 */
const HUB_WRITE_LANDING_WINDOW_MS = HUB_REQUEST_TIMEOUT_MS + 30_000;

/** What is kept under an intent key while a write's outcome is not known; null once nothing can land. */
interface HubWriteIntent {
  startedAt: number;
}

interface HubWrite<T> {
  store: Store;
  /** Names this one write in the store's state, e.g. `hub-write-intent:github-comment:acme/app:12`. */
  intentKey: string;
  /** Names the write in messages, e.g. `comment on model acme/x #3`. */
  what: string;
  jobId: number;
  /** Finds the write's result on the Hub, or undefined when it is not there. */
  lookup: () => Promise<T | undefined>;
  write: () => Promise<T>;
  /** Look before every write, not only after an unknown outcome (for writes a human may have made). */
  lookFirst?: boolean;
  landingWindowMs?: number;
  now?: () => number;
}

/**
 * The one path by which the bridge creates anything on the Hub. Lost-response rule: after a timeout,
 * a dropped connection or a 5xx, the write is never sent again until a lookup made after the original
 * request could no longer land (its start plus HUB_WRITE_LANDING_WINDOW_MS) finds nothing.
 *
 * 1. The intent (the start time) is stored under `intentKey` before the request is sent, so a crash,
 *    a lost answer or another job running the same write later all find it.
 * 2. Whoever finds an intent defers the job until the landing window has passed, then looks the
 *    result up on the Hub: found, it is adopted; not found, it is written once more, under a new intent.
 * 3. A definite refusal (any 4xx) clears the intent, since nothing landed.
 *
 * Kept in one function on purpose: it is the Hub side of the store's "durable intent before every
 * create" and can move onto that mechanism without touching its callers.
 */
export async function writeOnceOnHub<T>(
  options: HubWrite<T>,
): Promise<{ value: T; found: boolean }> {
  const { store, intentKey, what, jobId } = options;
  const now = options.now ?? Date.now;
  const windowMs = options.landingWindowMs ?? HUB_WRITE_LANDING_WINDOW_MS;
  const intent = (await store.getState(intentKey)) as HubWriteIntent | null | undefined;
  if (intent) {
    const landsUntil = intent.startedAt + windowMs;
    if (now() < landsUntil) {
      throw new RetryLaterError(
        `${what}: an earlier attempt's request may still land on the Hub; looking for it at ${new Date(landsUntil).toISOString()} before writing again`,
        new Date(landsUntil),
      );
    }
  }
  if (intent || options.lookFirst) {
    const found = await read(options.lookup, what, jobId);
    if (found !== undefined) return { value: found, found: true };
  }

  const startedAt = now();
  await store.setState(intentKey, { startedAt } satisfies HubWriteIntent);
  try {
    return { value: await options.write(), found: false };
  } catch (error) {
    const failure = classifyHubFailure(error, what, jobId);
    if (failure.kind === "unknown") {
      throw new Error(
        `${what}: the outcome is unknown (${describeJobError(error)}); the Hub is asked again at ${new Date(startedAt + windowMs).toISOString()} before anything is written again`,
        { cause: error },
      );
    }
    await store.setState(intentKey, null);
    throw failure.kind === "refused" ? failure.error : error;
  }
}

/** A lookup that fails for good (404, a token that cannot read) fails the job; others are retried. */
async function read<T>(lookup: () => Promise<T>, what: string, jobId: number): Promise<T> {
  try {
    return await lookup();
  } catch (error) {
    const failure = classifyHubFailure(error, `looking for the ${what}`, jobId);
    throw failure.kind === "refused" ? failure.error : error;
  }
}
