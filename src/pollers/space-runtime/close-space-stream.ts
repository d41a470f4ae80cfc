import type { StreamState } from "./open-space-stream.ts";

/** Closes the Space's stream and forgets it, so nothing reopens it. */
export function closeSpaceStream(states: Map<string, StreamState>, space: string): void {
  states.get(space)?.stream?.close();
  states.delete(space);
}
