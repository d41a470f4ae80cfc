import { fetchWithTimeout } from "../util/fetch-with-timeout.ts";

/** One small POST before any other work; a Hub that has not answered by then fails the step instead of holding the runner. */
const HUB_TOKEN_EXCHANGE_TIMEOUT_MS = 15_000;
/** The audience the Hub's trusted publishers accept on a GitHub Actions ID token. */
export const HUB_OIDC_AUDIENCE = "https://huggingface.co";

/** The Hub's answer: a token, or its refusal as it gave it (the Hub does not say why it refuses). */
type HubTokenExchange =
  | { ok: true; accessToken: string }
  | { ok: false; status: number; error: string; description?: string };

/**
 * Trades an OIDC ID token (audience `HUB_OIDC_AUDIENCE`) for a short-lived Hub token scoped to
 * `resource` (`namespace/name`, `datasets/…`, `spaces/…` or a username): the Hub's trusted publishers.
 */
export async function requestHubTokenExchange(input: {
  hubUrl: string;
  idToken: string;
  resource: string;
  fetch?: typeof fetch;
}): Promise<HubTokenExchange> {
  const send = fetchWithTimeout(HUB_TOKEN_EXCHANGE_TIMEOUT_MS, input.fetch);
  const response = await send(`${input.hubUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      subject_token: input.idToken,
      resource: input.resource,
    }),
  });
  const body = parseJson(await response.text());
  const accessToken = body?.access_token;
  if (response.ok && typeof accessToken === "string" && accessToken !== "") {
    return { ok: true, accessToken };
  }
  return {
    ok: false,
    status: response.status,
    error: typeof body?.error === "string" ? body.error : `HTTP ${response.status}`,
    ...(typeof body?.error_description === "string" ? { description: body.error_description } : {}),
  };
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
