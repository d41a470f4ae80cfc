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
  const created = randomBytes(32).toString("hex");
  await store.setState(STATE_KEY, created);
  // Read back: a replica that started at the same moment may have written its key last.
  const agreed = await store.getState(STATE_KEY);
  return typeof agreed === "string" ? agreed : created;
}
