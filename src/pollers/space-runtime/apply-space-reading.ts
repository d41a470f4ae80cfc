import type { Logger } from "pino";
import type { SpaceBuildRegistry } from "../../checks/create-space-build-registry.ts";
import type { SpaceRuntimeReading } from "../../hub/space-fetch-runtime.ts";
import { classifySpaceStage } from "../../rules/classify-space-stage.ts";
import type { Store } from "../../store/store.ts";
import { failedBuildLog } from "./failed-build-log.ts";
import { forgetCurrentBuild } from "./forget-current-build.ts";
import type { SpaceFollowers } from "./group-current-by-space.ts";
import { queueSpaceStageEvent, type SpaceStageEvent } from "./queue-space-stage-event.ts";
import type { SpaceHubAccess } from "./space-hub-access.ts";

/**
 * Right after a push the runtime can still describe the previous build as RUNNING; a RUNNING seen
 * before any other stage of this build is believed only once the build is this old.
 */
const STALE_RUNNING_WINDOW_MS = 30_000;

/** What moving followed builds along needs: the store that queues their events, the registry, the Hub. */
export interface SpaceFollowing {
  store: Store;
  builds: SpaceBuildRegistry;
  hub: SpaceHubAccess;
  logger: Logger;
}

/** Moves every build following `space` to the reading's stage; true when one changed. */
export async function applySpaceReading(
  following: SpaceFollowing,
  input: {
    space: string;
    followers: SpaceFollowers;
    reading: SpaceRuntimeReading;
    now: Date;
    events: SpaceStageEvent[];
  },
): Promise<boolean> {
  const { store, builds, hub, logger } = following;
  const { space, followers, reading, now, events } = input;
  let changed = false;
  let buildLog: SpaceStageEvent["buildLog"] | null = null;
  for (const [key, build] of followers) {
    if (reading.stage === build.lastStage) continue;
    const age = now.getTime() - Date.parse(build.startedAt);
    const stale =
      build.lastStage === undefined &&
      classifySpaceStage(reading.stage) === "success" &&
      age < STALE_RUNNING_WINDOW_MS;
    if (stale) continue;
    changed = true;
    // Read once per failure, however many repos follow the Space.
    if (buildLog === null) buildLog = await failedBuildLog({ hub, logger, space, reading });
    await queueSpaceStageEvent({
      store,
      build,
      change: {
        stage: reading.stage,
        ...(build.lastStage ? { previousStage: build.lastStage } : {}),
        ...(reading.errorMessage ? { errorMessage: reading.errorMessage } : {}),
        ...(buildLog ? { buildLog } : {}),
      },
      step: `${build.reported + 1}:${reading.stage}`,
      now,
      events,
    });
    if (classifySpaceStage(reading.stage) === "in-progress") {
      await builds.update(key, (latest) =>
        latest.current?.checkRun === build.checkRun
          ? {
              ...latest,
              current: { ...build, lastStage: reading.stage, reported: build.reported + 1 },
            }
          : latest,
      );
    } else {
      await forgetCurrentBuild(builds, key, build);
    }
  }
  return changed;
}
