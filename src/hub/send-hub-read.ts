import { fetchWithTimeout } from "../util/fetch-with-timeout.ts";

/** Where and how the Hub's read-only JSON API is reached. */
export interface HubReadOptions {
  /** `https://huggingface.co` in production (HF_ENDPOINT); the fake Hub's address in tests. */
  hubUrl: string;
  fetch: typeof fetch;
  /** Needed for private repos; sent as a bearer token and nowhere else. */
  accessToken?: string;
  signal?: AbortSignal;
}

/** `GET url` for JSON, with the bearer token when there is one and the caller's signal, within `timeoutMs`. */
export function sendHubRead(
  url: string,
  timeoutMs: number,
  options: HubReadOptions,
): Promise<Response> {
  return fetchWithTimeout(timeoutMs, options.fetch)(url, {
    headers: {
      accept: "application/json",
      ...(options.accessToken ? { authorization: `Bearer ${options.accessToken}` } : {}),
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
