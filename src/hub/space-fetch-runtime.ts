import { describeNetworkFailure } from "../util/describe-network-failure.ts";
import { parseRetryAfter } from "./parse-retry-after.ts";

export interface SpaceRuntimeReading {
  stage: string;
  errorMessage?: string;
}

/** A runtime request that failed; `retryAfterMs` when the Hub said how long to wait. */
export class SpaceRuntimeError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.name = "SpaceRuntimeError";
    this.retryAfterMs = retryAfterMs;
  }
}

/** A stuck Hub request must not stall every followed Space behind it. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * `GET /api/spaces/{name}/runtime` (hf-apis.md §2): one small request per poll. Any string stage is
 * kept as it is, known or not; only a missing stage is an error.
 */
export async function spaceFetchRuntime(options: {
  fetch: typeof fetch;
  hubUrl: string;
  space: string;
  accessToken?: string;
  now: Date;
  /** What holds `hubUrl`, for network failure messages. */
  addressSetting?: string;
  /** What holds the token, for the message a private Space's refusal gets. */
  tokenSetting?: string;
}): Promise<SpaceRuntimeReading> {
  const url = `${options.hubUrl.replace(/\/+$/, "")}/api/spaces/${options.space}/runtime`;
  let response: Response;
  try {
    response = await options.fetch(url, {
      headers: options.accessToken ? { authorization: `Bearer ${options.accessToken}` } : {},
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const setting = options.addressSetting ?? "HF_ENDPOINT";
    const network = describeNetworkFailure(error, { service: "the Hub", url, setting });
    if (network) throw new SpaceRuntimeError(network);
    throw error;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new SpaceRuntimeError(
      `GET /api/spaces/${options.space}/runtime answered ${response.status}${response.status === 401 || response.status === 404 ? ` (a private Space needs ${options.tokenSetting ?? "HF_TOKEN"})` : ""}`,
      parseRetryAfter(response.headers.get("retry-after"), options.now),
    );
  }
  const body = (await response.json()) as { stage?: unknown; errorMessage?: unknown } | null;
  if (typeof body?.stage !== "string" || body.stage === "") {
    throw new SpaceRuntimeError(
      `GET /api/spaces/${options.space}/runtime answered without a stage: ${JSON.stringify(body).slice(0, 200)}`,
    );
  }
  return {
    stage: body.stage,
    ...(typeof body.errorMessage === "string" && body.errorMessage !== ""
      ? { errorMessage: body.errorMessage }
      : {}),
  };
}
