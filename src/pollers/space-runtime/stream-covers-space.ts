import { openSpaceStream, type SpaceStreams } from "./open-space-stream.ts";
import { waitToReopenStream } from "./wait-to-reopen-stream.ts";

/**
 * The Hub sends keep-alives on an open stream; this long without a byte means the stream is dead
 * although its socket is not, and polling takes over until a new one is live.
 */
const STREAM_SILENCE_MS = 60_000;

/**
 * Whether the Space's status stream follows it now, so polling can wait: live and not silent (one
 * still being opened does not count: polling keeps its schedule until the stream answers). Opens
 * one when none is open and its retry time has come.
 */
export function streamCoversSpace(streams: SpaceStreams, space: string, now: number): boolean {
  let state = streams.states.get(space);
  if (state === undefined || (state.phase === "waiting" && now >= state.retryAt)) {
    state = openSpaceStream(streams, space, now, state);
  }
  if (state.phase === "live") {
    if (now - state.since < STREAM_SILENCE_MS) return true;
    streams.logger.warn(
      { space },
      "Space status stream went silent; polling the runtime meanwhile",
    );
    state.stream?.close();
    waitToReopenStream(state, now, "dropped");
  }
  return false;
}
