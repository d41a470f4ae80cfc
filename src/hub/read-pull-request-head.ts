import { type HubReadOptions, sendHubRead } from "./send-hub-read.ts";

/** One small JSON answer; a Hub that has not answered by then fails the attempt, which is retried. */
const HUB_REVISION_TIMEOUT_MS = 30_000;

/**
 * The head commit of Hub pull request `num`: `GET /api/{type}s/{name}/revision/refs%2Fpr%2F{num}`
 * answers its `sha`. A PR opened or taken out of draft names no commit in its webhook. Failures are
 * thrown, so the job is retried.
 */
export async function readPullRequestHead(
  repo: { type: string; name: string },
  num: number,
  options: HubReadOptions,
): Promise<string> {
  const base = options.hubUrl.replace(/\/+$/, "");
  const response = await sendHubRead(
    `${base}/api/${repo.type}s/${repo.name}/revision/${encodeURIComponent(`refs/pr/${num}`)}`,
    HUB_REVISION_TIMEOUT_MS,
    options,
  );
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(
      `reading the head commit of Hub pull request #${num} of ${repo.name} failed: the Hub answered ${response.status}; check HF_TOKEN can read the repo`,
    );
  }
  const { sha } = (await response.json()) as { sha?: unknown };
  if (typeof sha !== "string" || !/^[0-9a-f]{40}$/.test(sha)) {
    throw new Error(
      `the Hub named no commit for refs/pr/${num} of ${repo.name} (sha ${JSON.stringify(sha)}); check HF_ENDPOINT`,
    );
  }
  return sha;
}
