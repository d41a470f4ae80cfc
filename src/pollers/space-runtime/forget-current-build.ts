import type {
  FollowedBuild,
  SpaceBuildRegistry,
} from "../../checks/create-space-build-registry.ts";

/** Stops following a build that ended, unless a newer one has taken its place meanwhile. */
export function forgetCurrentBuild(
  builds: SpaceBuildRegistry,
  key: string,
  build: FollowedBuild,
): Promise<void> {
  return builds.update(key, (latest) =>
    latest.current?.checkRun === build.checkRun ? { superseded: latest.superseded } : latest,
  );
}
