import type { Store } from "../store/store.ts";
import {
  type CommittedEndpointTransition,
  commitEndpointTransition,
} from "./commit-endpoint-transition.ts";
import { readEndpointWatchState } from "./read-endpoint-watch-state.ts";

/** The state name the bridge uses for an endpoint that left its namespace's list. */
export const DELETED_STATE = "deleted";

/**
 * Reports an endpoint that is no longer listed, from its last known snapshot. The dedupe key uses that
 * snapshot's stamp, not the time of noticing, so noticing again after a crash is a duplicate.
 */
export async function recordEndpointDeletion(input: {
  store: Store;
  receivedAt: Date;
  namespace: string;
  name: string;
}): Promise<CommittedEndpointTransition | undefined> {
  const { store, receivedAt, namespace, name } = input;
  const previous = await readEndpointWatchState(store, namespace, name);
  if (previous === undefined || previous.snapshot.state === DELETED_STATE) return undefined;
  // What a deleted endpoint no longer has (a URL, replicas) is dropped, and "Updated" is when the
  // bridge noticed, not the last time the endpoint changed while it existed.
  const { url: _url, readyReplica: _ready, targetReplica: _target, ...kept } = previous.snapshot;
  const snapshot = {
    ...kept,
    state: DELETED_STATE,
    message: `Endpoint no longer listed in namespace ${namespace}`,
    updatedAt: receivedAt.toISOString(),
  };
  return commitEndpointTransition({
    store,
    source: "endpoint-poller",
    receivedAt,
    headers: {},
    previous,
    snapshot,
    body: { namespace, name, deleted: true, lastKnown: previous.snapshot },
    stamp: previous.snapshot.updatedAt ?? previous.history.at(-1)?.at ?? "-",
    at: receivedAt.toISOString(),
  });
}
