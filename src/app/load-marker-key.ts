import { randomBytes } from "node:crypto";
import type { Store } from "../store/store.ts";

const STATE_KEY = "link-marker-key";

/**
 * The key that signs hidden link markers must survive restarts and be shared by replicas, or markers
 * written earlier stop being recognised; so it lives in the store, created once. It proves only that
 * a marker was written by this bridge, which GitHub authorship already shows, and guards nothing else.
 */
export async function loadMarkerKey(store: Store, fromEnvironment?: string): Promise<string> {
  if (fromEnvironment) return fromEnvironment;
  const kept = await store.getState(STATE_KEY);
  if (typeof kept === "string" && kept.length > 0) return kept;
  // Insert-if-absent: of replicas starting together, the first insert wins and all read it back.
  const agreed = await store.insertStateIfAbsent(STATE_KEY, randomBytes(32).toString("hex"));
  if (typeof agreed !== "string" || agreed.length === 0) {
    throw new Error(
      `the store's state "${STATE_KEY}" holds ${JSON.stringify(agreed)}, not a key; delete that state row or set HF_BRIDGE_MARKER_KEY`,
    );
  }
  return agreed;
}
