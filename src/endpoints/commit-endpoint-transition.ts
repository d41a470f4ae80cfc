import type { BridgeEvent, EndpointSnapshot, EndpointTransition } from "../events/bridge-event.ts";
import type { DeliverySource, RecordDeliveryResult, Store } from "../store/store.ts";
import { endpointDedupeKey } from "./endpoint-dedupe-key.ts";
import { endpointStateKey } from "./endpoint-state-key.ts";
import type { EndpointWatchState } from "./read-endpoint-watch-state.ts";

/** Enough rows for a card's history table without letting one flapping endpoint grow without end. */
const MAX_ENDPOINT_HISTORY = 20;

interface EndpointTransitionInput {
  store: Store;
  source: DeliverySource;
  receivedAt: Date;
  headers: Record<string, string>;
  previous: EndpointWatchState | undefined;
  snapshot: EndpointSnapshot;
  /** The endpoint JSON to keep beside the delivery, secrets already removed. */
  body: unknown;
  /** Identifies this transition in the dedupe key. */
  stamp: string;
  /** When the endpoint entered the state, for the history table. */
  at: string;
}

export interface CommittedEndpointTransition {
  event: Extract<BridgeEvent, { kind: "endpoint.state-changed" }>;
  result: RecordDeliveryResult;
}

/**
 * Records the delivery first and the new state second: a crash in between leaves the old state, so
 * the next observation records the same transition again, and its dedupe key makes that a duplicate.
 */
export async function commitEndpointTransition(
  input: EndpointTransitionInput,
): Promise<CommittedEndpointTransition> {
  const { store, snapshot, previous } = input;
  const stateChanged = previous?.snapshot.state !== snapshot.state;
  const entered: EndpointTransition = {
    state: snapshot.state,
    at: input.at,
    ...(snapshot.message !== undefined ? { message: snapshot.message } : {}),
  };
  const history = stateChanged
    ? [...(previous?.history ?? []), entered].slice(-MAX_ENDPOINT_HISTORY)
    : (previous?.history ?? [entered]);
  const event: CommittedEndpointTransition["event"] = {
    kind: "endpoint.state-changed",
    endpoint: snapshot,
    ...(previous !== undefined ? { previousState: previous.snapshot.state } : {}),
    history,
  };
  const result = await store.recordDelivery({
    source: input.source,
    receivedAt: input.receivedAt,
    dedupeKey: endpointDedupeKey(snapshot, input.stamp),
    body: JSON.stringify(input.body),
    headers: input.headers,
    disposition: "queued",
    event,
  });
  const state: EndpointWatchState = { snapshot, history };
  await store.setState(endpointStateKey(snapshot.namespace, snapshot.name), state);
  return { event, result };
}
