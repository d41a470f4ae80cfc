import { describeNetworkFailure } from "../util/describe-network-failure.ts";
import { parseRetryAfter } from "./parse-retry-after.ts";

/** A list call that hangs would stall its namespace's schedule; the API answers in well under this. */
const REQUEST_TIMEOUT_MS = 30_000;

/** A list request that failed; `retryAfterMs` carries the API's own wait when it sent one. */
export class EndpointListError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.name = "EndpointListError";
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * `GET {baseUrl}/v2/endpoint/{namespace}`: every endpoint of the namespace in one request. Errors name
 * the namespace and status but never the token or the response body.
 */
export async function fetchEndpointList(input: {
  fetch: typeof fetch;
  baseUrl: string;
  token: string;
  namespace: string;
  now: Date;
  /** What holds `baseUrl`, for network failure messages. */
  addressSetting?: string;
}): Promise<unknown[]> {
  const url = `${input.baseUrl.replace(/\/+$/, "")}/v2/endpoint/${encodeURIComponent(input.namespace)}`;
  const where = `GET /v2/endpoint/${input.namespace}`;
  let response: Response;
  try {
    response = await input.fetch(url, {
      headers: { authorization: `Bearer ${input.token}`, accept: "application/json" },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const network = describeNetworkFailure(error, {
      service: "the Inference Endpoints API",
      url,
      setting: input.addressSetting ?? "HF_ENDPOINTS_API_URL",
    });
    const reason = network ?? (error instanceof Error ? error.message : String(error));
    throw new EndpointListError(`${where} failed: ${reason}; retrying with backoff`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new EndpointListError(
      `${where} answered ${response.status}${statusAdvice(response.status)}`,
      parseRetryAfter(response.headers.get("retry-after"), input.now),
    );
  }
  let value: unknown;
  try {
    value = await response.json();
  } catch {
    throw new EndpointListError(`${where} answered a body that is not JSON; retrying with backoff`);
  }
  const items = (value as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) {
    throw new EndpointListError(
      `${where} answered JSON without an "items" array; check that the base URL points at the Inference Endpoints API`,
    );
  }
  return items;
}

function statusAdvice(status: number): string {
  if (status === 401 || status === 403) {
    return "; check that the Hub token can read this namespace's Inference Endpoints";
  }
  if (status === 404) return "; check the namespace name (a user or organization)";
  if (status === 429) return "; rate limited, waiting as the API asks";
  return "; retrying with backoff";
}
