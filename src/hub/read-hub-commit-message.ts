import { HubApiError, listCommits } from "@huggingface/hub";
import type { RepoRef } from "../events/bridge-event.ts";
import { fetchWithTimeout } from "../util/fetch-with-timeout.ts";

/** One small listing; a Hub that has not answered by then fails the job's attempt, which is retried. */
const HUB_COMMIT_READ_TIMEOUT_MS = 30_000;

export interface HubReadOptions {
  /** `https://huggingface.co` in production; the fake Hub's address in tests. */
  hubUrl: string;
  fetch: typeof fetch;
  /** Needed for private repos; sent as a bearer token and nowhere else. */
  accessToken?: string;
}

export type HubCommitMessage = { found: true; message: string } | { found: false; reason: string };

/**
 * The message of one Hub commit, read with `listCommits` starting at that SHA (its first entry is the
 * commit itself, so one request of one entry). A 4xx is a reason, not an error: retrying cannot
 * make a private repo readable; 5xx and network failures are thrown for the worker to retry.
 */
export async function readHubCommitMessage(
  repo: RepoRef,
  sha: string,
  options: HubReadOptions,
): Promise<HubCommitMessage> {
  try {
    const commits = listCommits({
      repo: { type: repo.type, name: repo.name },
      revision: sha,
      batchSize: 1,
      hubUrl: options.hubUrl,
      fetch: fetchWithTimeout(HUB_COMMIT_READ_TIMEOUT_MS, options.fetch),
      ...(options.accessToken ? { accessToken: options.accessToken } : {}),
    });
    for await (const commit of commits) return { found: true, message: commit.message };
    return { found: false, reason: `the Hub lists no commit ${sha}` };
  } catch (error) {
    if (error instanceof HubApiError && error.statusCode >= 400 && error.statusCode < 500) {
      return {
        found: false,
        reason: `the Hub answered ${error.statusCode} for commit ${sha} (${error.message})${error.statusCode === 401 || error.statusCode === 404 ? "; set HF_TOKEN for private repos" : ""}`,
      };
    }
    throw error;
  }
}
