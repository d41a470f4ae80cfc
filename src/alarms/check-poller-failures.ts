import type { BridgeProblem } from "../events/bridge-event.ts";
import type { FailureTracker } from "./create-failure-tracker.ts";

/**
 * How long a poller may go without one success before the alarm: pollers back off up to minutes
 * after a failure, so an hour means many tries failed, not a blip of the Hub or the Endpoints API.
 */
export const POLLER_FAILING_ALARM_MS = 60 * 60_000;
/** Sources named in the alarm: the log has every failure. */
const SOURCES_SHOWN = 5;
/** Of the latest error, what the alarm quotes. */
const ERROR_CHARS_SHOWN = 300;

/** Pollers that have not succeeded for longer than the threshold, as one problem. */
export function checkPollerFailures(tracker: FailureTracker, now: Date): BridgeProblem | undefined {
  const failing = tracker.failingLongerThan(POLLER_FAILING_ALARM_MS, now);
  const oldest = failing[0];
  if (!oldest) return undefined;
  const shown = failing.slice(0, SOURCES_SHOWN).map((failure) => failure.source);
  return {
    id: "pollers",
    title: `${failing.length} poller${failing.length === 1 ? "" : "s"} failing for over ${POLLER_FAILING_ALARM_MS / 60_000} minutes`,
    detail: `No successful poll of ${shown.join(", ")}${failing.length > shown.length ? ", …" : ""} since ${oldest.since.toISOString()} (${oldest.source}); its latest error: ${oldest.lastError.slice(0, ERROR_CHARS_SHOWN)}`,
    fix: "Read the error: a 401/403 means HF_TOKEN cannot read that namespace or Space (create one with read access at https://huggingface.co/settings/tokens), a name not found means the config names a namespace or Space that does not exist; fix it and restart `serve`. This issue closes after the next successful poll.",
  };
}
