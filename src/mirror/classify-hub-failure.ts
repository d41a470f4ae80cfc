import { HubApiError } from "../hub/hub-api-error.ts";
import { PermanentJobError } from "../jobs/job-errors.ts";

type HubFailure =
  /** The Hub said no for good (404, 401, 403, another 4xx): nothing was written, retrying cannot help. */
  | { kind: "refused"; error: PermanentJobError }
  /** The Hub said not now (429): nothing was written, a later attempt may succeed. */
  | { kind: "not-written" }
  /** A 5xx, a timeout, a dropped connection or an unreadable answer: the write may have happened. */
  | { kind: "unknown" };

/** What a failed Hub call means for the job; `what` names the call, e.g. `comment on model acme/x #3`. */
export function classifyHubFailure(error: unknown, what: string, jobId: number): HubFailure {
  if (!(error instanceof HubApiError) || error.status >= 500) return { kind: "unknown" };
  if (error.status === 429) return { kind: "not-written" };
  const replay = `then replay the job with "hf-bridge replay ${jobId}"`;
  const fix =
    error.status === 404
      ? `the discussion or its repo no longer exists, or HF_TOKEN cannot see it (a private repo) — check it on the Hub, ${replay}`
      : error.status === 401 || error.status === 403
        ? `HF_TOKEN cannot write there — give the token write access to the repo (https://huggingface.co/settings/tokens), ${replay}`
        : `the Hub refused the request — fix what it names, ${replay}`;
  return {
    kind: "refused",
    error: new PermanentJobError(`${what}: ${error.message}; ${fix}`, { cause: error }),
  };
}
