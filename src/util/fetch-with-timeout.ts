/** Raised when a request got no complete answer in time; `name` is "TimeoutError" like the platform's. */
class RequestTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TimeoutError";
  }
}

/**
 * `fetch` that gives up after a time limit (headers and body), on top of any signal the caller passes:
 * a server that accepts a connection and never answers cannot hold the caller for longer. The limit
 * may depend on the request, e.g. shorter for a call everything else waits on.
 */
export function fetchWithTimeout(
  timeoutMs: number | ((url: string, method: string) => number),
  inner: typeof fetch = fetch,
): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = (
      init?.method ?? (input instanceof Request ? input.method : "GET")
    ).toUpperCase();
    const limitMs = typeof timeoutMs === "number" ? timeoutMs : timeoutMs(url, method);
    const timeout = AbortSignal.timeout(limitMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await inner(input, { ...init, signal });
    } catch (error) {
      if (!timeout.aborted) throw error;
      throw new RequestTimeoutError(
        `${method} ${new URL(url).pathname} got no answer within ${limitMs} ms`,
      );
    }
  };
}
