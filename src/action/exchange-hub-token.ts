import { quote } from "../util/describe-zod-error.ts";
import { fetchWithTimeout } from "../util/fetch-with-timeout.ts";
import { ActionInputError } from "./action-input-error.ts";

/** One small POST before any other work; a Hub that has not answered by then fails the step instead of holding the runner. */
export const TOKEN_EXCHANGE_TIMEOUT_MS = 15_000;
/** The audience the Hub's trusted publishers accept on a GitHub Actions ID token. */
export const HUB_OIDC_AUDIENCE = "https://huggingface.co";

export interface TokenExchangeInput {
  hubUrl: string;
  /** What the token is for: `namespace/name`, `datasets/…` or `spaces/…`, or a username. */
  resource: string;
  /** `owner/repo` the workflow runs in (GITHUB_REPOSITORY), named in the advice when refused. */
  repository: string;
  /** Mints the runner's OIDC ID token for an audience (`core.getIDToken` in the Action). */
  getIdToken: (audience: string) => Promise<string>;
  fetch?: typeof fetch;
}

/**
 * Trades the workflow's GitHub OIDC ID token for a short-lived Hub token scoped to `resource` (the
 * Hub's trusted publishers), so a workflow needs no stored HF token. The Hub does not say why it
 * refuses, so a refusal names everything that must match.
 */
export async function exchangeHubToken(input: TokenExchangeInput): Promise<string> {
  let idToken: string;
  try {
    idToken = await input.getIdToken(HUB_OIDC_AUDIENCE);
  } catch (error) {
    throw new ActionInputError(
      `hf-token is empty and the runner would not mint an OIDC ID token for the Hub's trusted publishers (${error instanceof Error ? error.message : String(error)}); give the job "permissions: id-token: write", or pass hf-token: \${{ secrets.HF_TOKEN }}`,
    );
  }
  const send = fetchWithTimeout(TOKEN_EXCHANGE_TIMEOUT_MS, input.fetch);
  const response = await send(`${input.hubUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      subject_token: idToken,
      resource: input.resource,
    }),
  });
  const text = await response.text();
  const body = parseJson(text);
  const accessToken = body?.access_token;
  if (response.ok && typeof accessToken === "string" && accessToken !== "") return accessToken;
  const error = typeof body?.error === "string" ? body.error : `HTTP ${response.status}`;
  const description =
    typeof body?.error_description === "string" ? `: ${body.error_description}` : "";
  throw new ActionInputError(
    `the Hub refused to exchange this workflow's OIDC token for a token on ${quote(input.resource)} (POST ${input.hubUrl}/oauth/token answered ${response.status}, ${error}${description}); on the Hub, open ${quote(input.resource)}'s Settings → Trusted Publishers and add provider GitHub Actions with repository = ${input.repository} (and branch or workflow only if they must match this run), keep "permissions: id-token: write" on the job, or pass hf-token: \${{ secrets.HF_TOKEN }} instead`,
  );
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object"
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
