import type { FollowedBuild, FollowedSpaces } from "../../checks/create-space-build-registry.ts";

/** The current builds following one Space, each with its registry key. */
export type SpaceFollowers = Array<[string, FollowedBuild]>;

export function groupCurrentBySpace(followed: FollowedSpaces): Map<string, SpaceFollowers> {
  const groups = new Map<string, SpaceFollowers>();
  for (const [key, entry] of Object.entries(followed)) {
    if (entry.current === undefined) continue;
    const space = entry.current.repo.name;
    groups.set(space, [...(groups.get(space) ?? []), [key, entry.current]]);
  }
  return groups;
}
