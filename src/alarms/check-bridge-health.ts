import type { BridgeProblem } from "../events/bridge-event.ts";
import type { Store } from "../store/store.ts";
import { checkCredentialFailures } from "./check-credential-failures.ts";
import { checkHubAnswerShare } from "./check-hub-answer-share.ts";
import { checkPollerFailures } from "./check-poller-failures.ts";
import type { FailureTracker } from "./create-failure-tracker.ts";

/** Dead letters read per check: enough to count a pile-up; the CLI lists them all. */
const MAX_DEAD_LETTERS_READ = 1_000;
/** Job ids named in the alarm: the CLI shows the rest. */
const JOB_IDS_SHOWN = 10;
/** Of the latest error, what the alarm quotes. */
const ERROR_CHARS_SHOWN = 300;

/**
 * What is wrong with the bridge now, read from the store: jobs that ran out of retries, and a share
 * of failed answers to the Hub that risks the webhook's suspension, and (from what the pollers
 * and the GitHub clients reported to their trackers) pollers that keep failing and GitHub credentials
 * that GitHub keeps refusing.
 */
export async function checkBridgeHealth(
  store: Store,
  now: Date,
  trackers: { pollers?: FailureTracker; credentials?: FailureTracker } = {},
): Promise<BridgeProblem[]> {
  const hubAnswers = await checkHubAnswerShare(store, now);
  const polling = trackers.pollers ? checkPollerFailures(trackers.pollers, now) : undefined;
  const credentials = trackers.credentials
    ? checkCredentialFailures(trackers.credentials, now)
    : undefined;
  return [
    ...(await checkDeadLetters(store)),
    ...(hubAnswers ? [hubAnswers] : []),
    ...(polling ? [polling] : []),
    ...(credentials ? [credentials] : []),
  ];
}

/** The alarm's own jobs are left out, so an alarm that cannot be written does not raise another. */
async function checkDeadLetters(store: Store): Promise<BridgeProblem[]> {
  const dead = (await store.listDeadLetters({ limit: MAX_DEAD_LETTERS_READ })).filter(
    (letter) => letter.event.kind !== "bridge.alarm",
  );
  if (dead.length === 0) return [];
  const newest = [...dead].sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime());
  const latest = newest[0];
  const count = dead.length === MAX_DEAD_LETTERS_READ ? `${dead.length}+` : String(dead.length);
  const ids = newest.slice(0, JOB_IDS_SHOWN).map((letter) => letter.jobId);
  return [
    {
      id: "dead-letters",
      title: `${count} dead-lettered job${dead.length === 1 ? "" : "s"}`,
      detail: `Jobs ${ids.join(", ")}${dead.length > ids.length ? ", …" : ""} ran out of retries and wrote nothing more. The latest (job ${latest?.jobId}, ${latest?.event.kind}) failed with: ${(latest?.lastError ?? "").slice(0, ERROR_CHARS_SHOWN)}`,
      fix: "Run `npx hf-bridge dead-letters` to read each reason, fix what it names (a token, a permission, a missing repo), then `npx hf-bridge replay <job id>`; this issue closes once none is left.",
    },
  ];
}
