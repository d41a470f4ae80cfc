import type { HubRepoType } from "../hf/hub-payload-schema.ts";
import { describeNetworkFailure } from "../util/describe-network-failure.ts";
import { hubRepoPath } from "./hub-repo-path.ts";

/** A Hub call that has not answered by then is treated as failed; the step fails and can be re-run. */
const HUB_REQUEST_TIMEOUT_MS = 30_000;
/** How much of a Hub error body is kept in the step's error message. */
const ERROR_EXCERPT_CHARS = 200;

/**
 * One call to `/api/{type}s/{repo}/discussions/{num}{suffix}` (hf-apis.md §3) with the Hub token,
 * answering its parsed JSON body. A 401 or 403 fails with what to change about the token; the token
 * itself never appears in a message.
 */
export async function callHubDiscussion(input: {
  hubUrl: string;
  hfToken: string;
  repoType: HubRepoType;
  repo: string;
  discussion: number;
  method: "GET" | "POST";
  /** e.g. `/comment`, `/comment/<id>/edit`, or "" for the discussion itself. */
  suffix: string;
  body?: unknown;
  fetch?: typeof fetch;
}): Promise<unknown> {
  const path = `${hubRepoPath(input.repoType, input.repo)}/discussions/${input.discussion}${input.suffix}`;
  const where = `the Hub answered ${input.method} ${path}`;
  const url = `${input.hubUrl.replace(/\/+$/, "")}${path}`;
  let response: Response;
  try {
    response = await (input.fetch ?? fetch)(url, {
      method: input.method,
      headers: {
        authorization: `Bearer ${input.hfToken}`,
        accept: "application/json",
        ...(input.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
      signal: AbortSignal.timeout(HUB_REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const network = describeNetworkFailure(error, {
      service: "the Hub",
      url,
      setting: "the hub-url input",
    });
    if (network) throw new Error(network);
    throw error;
  }
  const text = await response.text();
  if (response.status === 401 || response.status === 403) {
    throw new Error(
      `${where} with ${response.status}: the hf-token input cannot ${input.method === "GET" ? "read" : "write to"} ${input.repoType} "${input.repo}". Create a token with write access to that repository (a "write" token, or a fine-grained one with "Write access to contents/settings" on it) at https://huggingface.co/settings/tokens, store it as a repository secret and pass it as hf-token`,
    );
  }
  if (response.status === 404) {
    throw new Error(
      `${where} with 404: ${input.repoType} "${input.repo}" or its discussion #${input.discussion} does not exist, or hf-token cannot see it (private repo); check the dispatch payload or the discussion input`,
    );
  }
  if (!response.ok) {
    throw new Error(`${where} with ${response.status}: ${text.slice(0, ERROR_EXCERPT_CHARS)}`);
  }
  return JSON.parse(text || "{}") as unknown;
}
