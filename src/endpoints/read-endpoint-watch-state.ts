import type { EndpointSnapshot, EndpointTransition } from "../events/bridge-event.ts";
import type { Store } from "../store/store.ts";
import { endpointStateKey } from "./endpoint-state-key.ts";

/** What the bridge last reported for an endpoint, kept in the store between polls and restarts. */
export interface EndpointWatchState {
  snapshot: EndpointSnapshot;
  /** Oldest first; the last entry is the state in `snapshot`. */
  history: EndpointTransition[];
}

export async function readEndpointWatchState(
  store: Store,
  namespace: string,
  name: string,
): Promise<EndpointWatchState | undefined> {
  const key = endpointStateKey(namespace, name);
  const value = await store.getState(key);
  if (value === undefined || value === null) return undefined;
  const candidate = value as Partial<EndpointWatchState>;
  if (typeof candidate.snapshot?.state !== "string" || !Array.isArray(candidate.history)) {
    throw new Error(
      `store state "${key}" is not an endpoint watch state (found ${JSON.stringify(value).slice(0, 80)}); delete that state row to start the endpoint afresh`,
    );
  }
  return candidate as EndpointWatchState;
}
