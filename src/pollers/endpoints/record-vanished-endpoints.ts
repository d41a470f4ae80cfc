import { recordEndpointDeletion } from "../../endpoints/record-endpoint-deletion.ts";
import type { BridgeEvent } from "../../events/bridge-event.ts";
import type { Store } from "../../store/store.ts";
import { watchedNamesKey } from "./watched-names-key.ts";

/**
 * Records a deletion for each watched endpoint the last poll listed and this one does not, then
 * remembers the watched names this one listed for the next.
 */
export async function recordVanishedEndpoints(input: {
  store: Store;
  namespace: string;
  listed: Set<string>;
  watched: string[];
  now: Date;
  /** Collects the events that were new. */
  events: BridgeEvent[];
}): Promise<void> {
  const { store, namespace, listed, watched, now, events } = input;
  const known = await readWatchedNames(store, namespace);
  for (const name of known.filter((known) => !listed.has(known))) {
    const deleted = await recordEndpointDeletion({ store, receivedAt: now, namespace, name });
    if (deleted?.result.status === "accepted") events.push(deleted.event);
  }
  const names = [...watched].sort();
  if (names.join("\n") !== known.join("\n")) {
    await store.setState(watchedNamesKey(namespace), names);
  }
}

async function readWatchedNames(store: Store, namespace: string): Promise<string[]> {
  const value = await store.getState(watchedNamesKey(namespace));
  return Array.isArray(value)
    ? value.filter((name): name is string => typeof name === "string")
    : [];
}
