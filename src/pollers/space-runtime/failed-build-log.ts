import type { Logger } from "pino";
import { buildLogExcerpt } from "../../checks/build-log-excerpt.ts";
import { spaceBuildLogTail } from "../../hub/space-build-log-tail.ts";
import type { SpaceRuntimeReading } from "../../hub/space-fetch-runtime.ts";
import { classifySpaceStage } from "../../rules/classify-space-stage.ts";
import type { SpaceStageEvent } from "./queue-space-stage-event.ts";
import type { SpaceHubAccess } from "./space-hub-access.ts";

/** The end of a failed build's log, or undefined (not a failure, or the log could not be read). */
export async function failedBuildLog(input: {
  hub: SpaceHubAccess;
  logger: Logger;
  space: string;
  reading: SpaceRuntimeReading;
}): Promise<SpaceStageEvent["buildLog"]> {
  const { hub, logger, space, reading } = input;
  if (classifySpaceStage(reading.stage) !== "failure") return undefined;
  try {
    const lines = await spaceBuildLogTail({ ...hub, space });
    if (lines.length === 0) return undefined;
    const excerpt = buildLogExcerpt(lines);
    return {
      excerpt: excerpt.text,
      lines: excerpt.lines,
      url: `${hub.hubUrl.replace(/\/+$/, "")}/spaces/${space}?logs=build`,
    };
  } catch (error) {
    logger.warn(
      { space, reason: (error as Error).message },
      "the build log of a failed Space build could not be read; the check run says why without it",
    );
    return undefined;
  }
}
