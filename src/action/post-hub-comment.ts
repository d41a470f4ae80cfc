import type { HubRepoType } from "../hf/hub-payload-schema.ts";
import { hubRepoPath } from "../hub/hub-repo-path.ts";
import { describeNetworkFailure } from "../util/describe-network-failure.ts";

/** A Hub call that has not answered by then is treated as failed; the step fails and can be re-run. */
const HUB_REQUEST_TIMEOUT_MS = 30_000;
/** How much of a Hub error body is kept in the step's error message. */
const ERROR_EXCERPT_CHARS = 200;

/**
 * `POST /api/{type}s/{repo}/discussions/{num}/comment` with the Hub token. A 401 or 403 fails with
 * what to change about the token; the token itself never appears in a message.
 */
export async function postHubComment(input: {
  hubUrl: string;
  hfToken: string;
  repoType: HubRepoType;
  repo: string;
  discussion: number;
  text: string;
  fetch?: typeof fetch;
}): Promise<{ id: string }> {
  const path = `${hubRepoPath(input.repoType, input.repo)}/discussions/${input.discussion}/comment`;
  const where = `the Hub answered POST ${path}`;
  const url = `${input.hubUrl.replace(/\/+$/, "")}${path}`;
  let response: Response;
  try {
    response = await (input.fetch ?? fetch)(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${input.hfToken}`,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify({ comment: input.text }),
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
      `${where} with ${response.status}: the hf-token input cannot write to ${input.repoType} "${input.repo}". Create a token with write access to that repository (a "write" token, or a fine-grained one with "Write access to contents/settings" on it) at https://huggingface.co/settings/tokens, store it as a repository secret and pass it as hf-token`,
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
  const id = (JSON.parse(text || "{}") as { newMessage?: { id?: unknown } }).newMessage?.id;
  return { id: typeof id === "string" ? id : "" };
}
