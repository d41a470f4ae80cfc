import type { PathFilter } from "../effects/effect.ts";
import { listHubTree } from "../hub/list-hub-tree.ts";
import type { HubReadOptions } from "../hub/send-hub-read.ts";

/**
 * The files a push changed: added, removed or with another blob id between `oldSha` and `newSha`,
 * sorted. The Hub has no diff endpoint, so the two revisions' tree listings are compared. A created
 * ref changes every file it has; a deleted one every file it had.
 */
export async function listChangedPaths(
  filter: Pick<PathFilter, "hubRepo" | "oldSha" | "newSha">,
  options: HubReadOptions,
): Promise<string[]> {
  const read = (sha: string | null) =>
    sha === null
      ? Promise.resolve(new Map<string, string>())
      : listHubTree(filter.hubRepo, sha, options);
  const [before, after] = await Promise.all([read(filter.oldSha), read(filter.newSha)]);
  const changed = new Set<string>();
  for (const [path, oid] of after) if (before.get(path) !== oid) changed.add(path);
  for (const path of before.keys()) if (!after.has(path)) changed.add(path);
  return [...changed].sort();
}
