/** GitHub's primary limit for an installation; the fake counts down from it per instance. */
const RATE_LIMIT_PER_HOUR = 5000;

/** The `x-ratelimit-*` headers GitHub sends on every REST answer. */
export function rateLimitHeaders(used: number, reset: number): Record<string, string> {
  return {
    "x-ratelimit-limit": String(RATE_LIMIT_PER_HOUR),
    "x-ratelimit-remaining": String(Math.max(0, RATE_LIMIT_PER_HOUR - used)),
    "x-ratelimit-used": String(used),
    "x-ratelimit-reset": String(reset),
    "x-ratelimit-resource": "core",
  };
}
