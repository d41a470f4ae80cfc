import type {
  FollowedSpaces,
  SpaceBuildRegistry,
} from "../../checks/create-space-build-registry.ts";
import type { Store } from "../../store/store.ts";
import { forgetCurrentBuild } from "./forget-current-build.ts";
import { queueSpaceStageEvent, type SpaceStageEvent } from "./queue-space-stage-event.ts";

/** Reports, once each, the builds a newer one superseded and those past their timeout, and forgets them. */
export async function reportEndedBuilds(input: {
  store: Store;
  builds: SpaceBuildRegistry;
  followed: FollowedSpaces;
  now: Date;
  events: SpaceStageEvent[];
}): Promise<void> {
  const { store, builds, followed, now, events } = input;
  for (const [key, entry] of Object.entries(followed)) {
    for (const { build, by } of entry.superseded) {
      await queueSpaceStageEvent({
        store,
        build,
        change: { stage: build.lastStage ?? "BUILDING", supersededBy: by },
        step: "superseded",
        now,
        events,
      });
      await builds.update(key, (latest) => ({
        ...latest,
        superseded: latest.superseded.filter((old) => old.build.checkRun !== build.checkRun),
      }));
    }
    const { current } = entry;
    if (current === undefined) continue;
    const age = now.getTime() - Date.parse(current.startedAt);
    if (age < current.timeoutMinutes * 60_000) continue;
    await queueSpaceStageEvent({
      store,
      build: current,
      change: {
        stage: current.lastStage ?? "BUILDING",
        timedOutAfterMinutes: current.timeoutMinutes,
      },
      step: "timed-out",
      now,
      events,
    });
    await forgetCurrentBuild(builds, key, current);
  }
}
