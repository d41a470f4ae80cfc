import type { FollowedBuild } from "../../checks/create-space-build-registry.ts";
import type { BridgeEvent, SpaceBuild } from "../../events/bridge-event.ts";
import type { Store } from "../../store/store.ts";

export type SpaceStageEvent = Extract<BridgeEvent, { kind: "space.stage-changed" }>;

/** Records the event durably (once per dedupe key), before the registry moves on. */
export async function queueSpaceStageEvent(input: {
  store: Store;
  build: FollowedBuild;
  change: Omit<SpaceStageEvent, "kind" | "repo" | "build">;
  /** The build's step this change is, part of the dedupe key. */
  step: string;
  now: Date;
  /** Collects the event when it was new. */
  events: SpaceStageEvent[];
}): Promise<void> {
  const { store, build, change, step, now, events } = input;
  const event: SpaceStageEvent = {
    kind: "space.stage-changed",
    repo: build.repo,
    ...change,
    build: spaceBuildOf(build),
  };
  const result = await store.recordDelivery({
    source: "space-poller",
    receivedAt: now,
    dedupeKey: `space-build:${build.checkRun}:${step}`,
    body: JSON.stringify({ space: build.repo.name, hubSha: build.hubSha, ...change }),
    headers: {},
    disposition: "queued",
    event,
  });
  if (result.status === "accepted") events.push(event);
}

function spaceBuildOf(build: FollowedBuild): SpaceBuild {
  const { github, checkRun, hubRef, hubSha, githubSha, startedAt } = build;
  return { github, checkRun, hubRef, hubSha, githubSha, startedAt };
}
