import type { EndpointSnapshot } from "../events/bridge-event.ts";
import type { DeliverySource, Store } from "../store/store.ts";
import {
  type CommittedEndpointTransition,
  commitEndpointTransition,
} from "./commit-endpoint-transition.ts";
import { readEndpointWatchState } from "./read-endpoint-watch-state.ts";

interface EndpointObservation {
  store: Store;
  source: DeliverySource;
  receivedAt: Date;
  headers: Record<string, string>;
  snapshot: EndpointSnapshot;
  /** The endpoint JSON without secrets, as parseEndpoint returns it. */
  body: Record<string, unknown>;
}

/**
 * Compares what the API shows now with the last reported state and records an event when the state
 * moved, or when the revision changed (a redeploy between two polls can end in the same state).
 */
export async function recordEndpointObservation(
  observation: EndpointObservation,
): Promise<CommittedEndpointTransition | undefined> {
  const { snapshot } = observation;
  const previous = await readEndpointWatchState(
    observation.store,
    snapshot.namespace,
    snapshot.name,
  );
  if (
    previous?.snapshot.state === snapshot.state &&
    previous.snapshot.revision === snapshot.revision
  ) {
    return undefined;
  }
  // Without updatedAt the observation time stands in: a state repeated later still gets its own key.
  const stamp = snapshot.updatedAt ?? observation.receivedAt.toISOString();
  return commitEndpointTransition({ ...observation, previous, stamp, at: stamp });
}
