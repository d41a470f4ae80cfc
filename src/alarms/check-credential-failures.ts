import type { BridgeProblem } from "../events/bridge-event.ts";
import type { FailureTracker } from "./create-failure-tracker.ts";

/**
 * How long GitHub may refuse a credential before the alarm: a token rotation or a replication delay
 * after a new installation token lasts seconds, a revoked key or a removed installation lasts until
 * someone fixes it, and every job needing it dead-letters meanwhile.
 */
export const CREDENTIALS_FAILING_ALARM_MS = 10 * 60_000;
/** Sources named in the alarm: the log has every failure. */
const SOURCES_SHOWN = 5;
/** Of the latest error, what the alarm quotes (already stripped of anything token-shaped). */
const ERROR_CHARS_SHOWN = 300;

/** GitHub credentials refused, with no success since, for longer than the threshold: one problem. */
export function checkCredentialFailures(
  tracker: FailureTracker,
  now: Date,
): BridgeProblem | undefined {
  const failing = tracker.failingLongerThan(CREDENTIALS_FAILING_ALARM_MS, now);
  const oldest = failing[0];
  if (!oldest) return undefined;
  const shown = failing.slice(0, SOURCES_SHOWN).map((failure) => failure.source);
  return {
    id: "github-credentials",
    // The count is in the title, so the body is rewritten when another credential joins or leaves.
    title: `GitHub has refused ${failing.length === 1 ? "a credential" : `${failing.length} credentials`} for over ${CREDENTIALS_FAILING_ALARM_MS / 60_000} minutes`,
    detail: `No request accepted since GitHub refused ${shown.join(", ")}${failing.length > shown.length ? ", …" : ""}. ${oldest.source} since ${oldest.since.toISOString()}, its latest answer: ${oldest.lastError.slice(0, ERROR_CHARS_SHOWN)}. Jobs that need these credentials fail and dead-letter meanwhile.`,
    fix: "For the GitHub App: check that APP_ID is the App's numeric id and PRIVATE_KEY (or PRIVATE_KEY_PATH) one of its current private keys (generate a new one on the App's settings page if it was revoked), and for an installation named above, that the App is installed on that repository and not suspended (install it from the App's page, Install App). For GITHUB_TOKEN: set it to a token that is not expired or revoked, with access to the configured repositories. Restart `serve` after changing APP_ID, PRIVATE_KEY or GITHUB_TOKEN (installing the App needs no restart). This issue closes after the next request GitHub accepts; then replay the jobs that dead-lettered meanwhile (`npx hf-bridge dead-letters`, `npx hf-bridge replay <job id>`).",
  };
}
