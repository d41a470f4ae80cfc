/** What a Space runtime stage means for the build a check run follows. */
type SpaceStageClass = "success" | "failure" | "resting" | "in-progress";

/** The app serves traffic: the build worked. */
const SUCCESS_STAGES = new Set(["RUNNING"]);
/** The build or the app failed; the runtime's `errorMessage` says why. */
const FAILURE_STAGES = new Set(["BUILD_ERROR", "RUNTIME_ERROR", "CONFIG_ERROR", "NO_APP_FILE"]);
/** Someone stopped the Space: no build result will come, so following it further is pointless. */
const RESTING_STAGES = new Set(["DELETING", "STOPPED", "PAUSED", "SLEEPING"]);

/**
 * Terminal stages end the check run; everything else, including stages neither Hub client knows
 * (hf-apis.md §2), keeps it `in_progress` until a terminal stage or the timeout.
 */
export function classifySpaceStage(stage: string): SpaceStageClass {
  if (SUCCESS_STAGES.has(stage)) return "success";
  if (FAILURE_STAGES.has(stage)) return "failure";
  if (RESTING_STAGES.has(stage)) return "resting";
  return "in-progress";
}
