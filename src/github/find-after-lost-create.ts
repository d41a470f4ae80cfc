import type { UnknownOutcomeError } from "./unknown-outcome-error.ts";

/**
 * Looks for an object whose create may have reached GitHub although its answer was lost. Whatever
 * goes wrong here becomes a plain (counted, backed-off) error, never a deferral: a deferred job comes
 * back with its attempt uncounted and would create again without looking first. Nothing found is
 * also retried later rather than re-created now, because GitHub's listings can lag a write.
 */
export async function findAfterLostCreate<T>(
  lost: UnknownOutcomeError,
  what: string,
  lookup: () => Promise<T | undefined>,
): Promise<T> {
  let found: T | undefined;
  try {
    found = await lookup();
  } catch (error) {
    throw new Error(
      `${lost.message}; looking for the ${what} failed too (${(error as Error).message}), the next attempt looks again before creating`,
    );
  }
  if (found === undefined) {
    throw new Error(
      `${lost.message}; no ${what} found yet, the next attempt looks again before creating`,
    );
  }
  return found;
}
