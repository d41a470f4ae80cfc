import type { StreamState } from "./open-space-stream.ts";

/** A dropped stream is opened again after this, doubling per drop in a row up to the maximum. */
const STREAM_RETRY_BASE_MS = 2_000;
const STREAM_RETRY_MAX_MS = 60_000;
/** A refused stream (no access, or a Hub without it) is asked again this rarely; polling does the work. */
const STREAM_REFUSED_RETRY_MS = 5 * 60_000;

/** Marks an ended stream as waiting, and sets when it is opened again. */
export function waitToReopenStream(
  state: StreamState,
  now: number,
  why: "refused" | "dropped",
): void {
  state.stream = undefined;
  state.phase = "waiting";
  if (why === "refused") state.retryAt = now + STREAM_REFUSED_RETRY_MS;
  else {
    state.drops += 1;
    state.retryAt = now + Math.min(STREAM_RETRY_MAX_MS, STREAM_RETRY_BASE_MS * 2 ** state.drops);
  }
}
