import { HUB_OIDC_AUDIENCE, requestHubTokenExchange } from "../hub/request-hub-token-exchange.ts";
import { quote } from "../util/describe-zod-error.ts";
import { ActionInputError } from "./action-input-error.ts";

interface TokenExchangeInput {
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
  const answer = await requestHubTokenExchange({
    hubUrl: input.hubUrl,
    idToken,
    resource: input.resource,
    fetch: input.fetch,
  });
  if (answer.ok) return answer.accessToken;
  const description = answer.description !== undefined ? `: ${answer.description}` : "";
  throw new ActionInputError(
    `the Hub refused to exchange this workflow's OIDC token for a token on ${quote(input.resource)} (POST ${input.hubUrl}/oauth/token answered ${answer.status}, ${answer.error}${description}); on the Hub, open ${quote(input.resource)}'s Settings → Trusted Publishers and add provider GitHub Actions with repository = ${input.repository} (and branch or workflow only if they must match this run), keep "permissions: id-token: write" on the job, or pass hf-token: \${{ secrets.HF_TOKEN }} instead`,
  );
}
