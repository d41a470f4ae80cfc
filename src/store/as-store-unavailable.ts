import { LeaseLostError, StoreUnavailableError } from "./store.ts";

/** Wraps a database failure so callers see one error type; lease and input errors pass through. */
export function asStoreUnavailable(operation: string, error: unknown): Error {
  if (error instanceof LeaseLostError || error instanceof StoreUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`store: ${operation} failed: ${message}`, { cause: error });
}
