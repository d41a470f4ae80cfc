import { RetryNotBeforeError } from "../jobs/job-errors.ts";
import type { CreateIntent } from "../store/store.ts";
import type { WriteKind } from "../store/write-schedule.ts";
import type { EffectRun } from "./effect-run.ts";
import { UnknownOutcomeError } from "./unknown-outcome-error.ts";

interface CreateOnceSpec<T> {
  /** The create intent's key: the link key the result is recorded under, or one the caller derives. */
  key: string;
  /** The intent's kind: issue, comment, check-run, repository-dispatch, … */
  kind: string;
  /** What a lookup looks for, in messages, e.g. "issue with the marker of hub-discussion:…". */
  what: string;
  /** Finds what a create whose answer was lost made; absent for creates that leave nothing to find. */
  lookup?: () => Promise<T | undefined>;
  /** How a lookup recognises the object, e.g. "its marker". */
  foundBy?: string;
  /** The past tense for the result's detail: "created" (default), "posted", "sent". */
  verb?: string;
  writeKind: WriteKind;
  description: string;
  post: (request: { signal: AbortSignal }) => Promise<T>;
}

interface CreatedOnce<T> {
  value: T;
  /** How the object came about, for the result's detail: exactly `verb` when simply created now. */
  how: string;
}

/**
 * Creates one GitHub object once, whatever crashes, timeouts or replicas do in between.
 *
 * The job records a durable intent ("about to create X") right before the request, inside the
 * throttle's slot, and the result (a link with the same key, or `resolvedIntents`) resolves it.
 * Whoever creates X next, whatever its attempt number or job, finds an unresolved intent and looks
 * for X on GitHub before creating.
 *
 * The lost-response rule: after a timeout, a dropped connection or a 5xx, a create is never sent
 * again until a lookup made after the original request can no longer land finds nothing. A lookup
 * right away may find the object (it is adopted); finding nothing then proves nothing, since GitHub
 * may still be serving the request. So the retry waits until `lostCreateSettleMs` after the intent
 * (the client timeout plus a margin), looks again, and only a lookup that still finds nothing sends
 * the create again, once. A create that leaves nothing to look up (a dispatch) is sent again after
 * the same wait, with the same payload, so its receiver can drop the repeat by its id.
 *
 * A retried job (attempt > 1) looks first even without an intent: a store that does not keep
 * intents across runs (the Action's) still never creates twice.
 */
export async function createOnce<T>(
  run: EffectRun,
  spec: CreateOnceSpec<T>,
): Promise<CreatedOnce<T>> {
  const { store, job } = run;
  const foundBy = spec.foundBy ?? "a lookup";
  const verb = spec.verb ?? "created";
  const pending = await store.getIntent(spec.key);
  if (pending !== undefined || job.attempts > 1) {
    const found = spec.lookup ? await lookUp(spec, spec.lookup) : undefined;
    if (found !== undefined) {
      return { value: found, how: `found by ${foundBy}, ${verb} by an earlier attempt` };
    }
    if (pending !== undefined) {
      const settledAt = pending.recordedAt.getTime() + run.lostCreateSettleMs;
      if (run.now() < settledAt) {
        throw new RetryNotBeforeError(
          `the create of the ${spec.what} sent at ${pending.recordedAt.toISOString()} has no recorded answer${spec.lookup ? " and nothing was found yet" : ""}; GitHub may still be serving it, so it is not sent again before ${new Date(settledAt).toISOString()}`,
          new Date(settledAt),
        );
      }
    }
  }

  let replacing: CreateIntent | undefined = pending;
  let sent: CreateIntent | undefined;
  try {
    const value = await run.send(spec.writeKind, spec.description, spec.post, {
      beforeSend: async () => {
        const intent = await store.recordIntent(
          job,
          { key: spec.key, kind: spec.kind, repo: run.repoName },
          { replacing, now: new Date(run.now()) },
        );
        if (intent === undefined) {
          if (await store.getLink(spec.key)) {
            throw new RetryNotBeforeError(
              `the ${spec.what} was created by another job since this one looked; this job runs again and finds it`,
              new Date(run.now()),
            );
          }
          throw new RetryNotBeforeError(
            `another worker is creating the ${spec.what} right now; this job looks again once that create has settled`,
            new Date(run.now() + run.lostCreateSettleMs),
          );
        }
        replacing = intent;
        sent = intent;
      },
    });
    const how =
      pending === undefined
        ? verb
        : `${verb} again: the earlier attempt at ${pending.recordedAt.toISOString()} has no recorded answer${spec.lookup ? " and nothing was found" : ""}`;
    return { value, how };
  } catch (error) {
    if (sent === undefined) throw error;
    if (!(error instanceof UnknownOutcomeError)) {
      // Every request sent was answered (a 4xx, a rate limit): GitHub created nothing. An intent
      // that cannot be dropped only makes the next attempt look first.
      await store.dropIntent(sent).catch(() => undefined);
      throw error;
    }
    const found = spec.lookup ? await lookUp(spec, spec.lookup, error) : undefined;
    if (found !== undefined) {
      return { value: found, how: `${verb} (found by ${foundBy} after: ${error.message})` };
    }
    const settledAt = new Date(sent.recordedAt.getTime() + run.lostCreateSettleMs);
    throw new RetryNotBeforeError(
      spec.lookup
        ? `${error.message}; no ${spec.what} found yet, and GitHub may still be serving the request: the next attempt looks again after ${settledAt.toISOString()} before creating`
        : `${error.message}; a ${spec.kind} leaves nothing to look up, so the next attempt sends it again (same payload) after ${settledAt.toISOString()}, when GitHub can no longer be serving this one`,
      settledAt,
    );
  }
}

/**
 * Whatever goes wrong while looking becomes a plain (counted, backed-off) error, never a deferral
 * (whose attempt is not counted), so lookups that keep failing end in a dead letter, not a loop.
 */
async function lookUp<T>(
  spec: CreateOnceSpec<T>,
  lookup: () => Promise<T | undefined>,
  lost?: UnknownOutcomeError,
): Promise<T | undefined> {
  try {
    return await lookup();
  } catch (error) {
    const context = lost ? `${lost.message}; looking` : "Looking";
    throw new Error(
      `${context} for the ${spec.what} failed${lost ? " too" : ""} (${(error as Error).message}), the next attempt looks again before creating`,
    );
  }
}
