import { PermanentJobError } from "../jobs/job-errors.ts";
import type { Link, Store } from "../store/store.ts";

/** The GitHub object an update targets; a missing one was never mirrored, and retrying cannot create it. */
export async function requireLink(store: Store, key: string, kind: string): Promise<Link> {
  const link = await store.getLink(key);
  if (link === undefined) {
    throw new PermanentJobError(
      `no GitHub ${kind} is linked to ${key}: it was never mirrored (or its create failed), so there is nothing to update`,
    );
  }
  return link;
}
