import type { EndpointSnapshot } from "../events/bridge-event.ts";

/**
 * The same for a transition however it arrives (poll, POST, a poll repeated after a crash), and
 * different for a later return to the same state, which the API stamps with a new `updatedAt`.
 */
export function endpointDedupeKey(snapshot: EndpointSnapshot, stamp: string): string {
  return `endpoint:${snapshot.namespace}/${snapshot.name}:${snapshot.state}:${stamp}`;
}
