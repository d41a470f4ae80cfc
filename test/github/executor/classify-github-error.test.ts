import { describe, expect, it } from "vitest";
import { classifyGitHubError } from "../../../src/github/classify-github-error.ts";

const NOW = Date.parse("2026-01-01T00:00:00Z");

function requestError(status: number, headers: Record<string, string>, data: unknown) {
  return Object.assign(new Error("request failed"), { status, response: { headers, data } });
}

describe("classifyGitHubError", () => {
  it("waits for retry-after first, then for x-ratelimit-reset, then a minute", () => {
    expect(
      classifyGitHubError(
        requestError(429, { "retry-after": "12" }, { message: "slow down" }),
        NOW,
      ),
    ).toMatchObject({ kind: "rate-limit", until: NOW + 12_000 });

    const reset = NOW / 1000 + 600;
    expect(
      classifyGitHubError(
        requestError(
          403,
          { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
          { message: "API rate limit exceeded" },
        ),
        NOW,
      ),
    ).toMatchObject({ kind: "rate-limit", until: reset * 1000 + 1_000 });

    expect(
      classifyGitHubError(
        requestError(403, {}, { message: "You have exceeded a secondary rate limit" }),
        NOW,
      ),
    ).toMatchObject({ kind: "rate-limit", until: NOW + 60_000 });
  });

  it("treats a 403 that is not a limit as permanent, and 5xx or no answer as an unknown outcome", () => {
    expect(
      classifyGitHubError(
        requestError(403, {}, { message: "Resource not accessible by integration" }),
        NOW,
      ),
    ).toEqual({
      kind: "permanent",
      status: 403,
      excerpt: "Resource not accessible by integration",
    });
    expect(
      classifyGitHubError(requestError(502, {}, { message: "Bad gateway" }), NOW),
    ).toMatchObject({
      kind: "unknown-outcome",
      status: 502,
    });
    expect(classifyGitHubError(new TypeError("fetch failed"), NOW)).toMatchObject({
      kind: "unknown-outcome",
      excerpt: "fetch failed",
    });
    expect(classifyGitHubError(requestError(409, {}, { message: "Conflict" }), NOW)).toMatchObject({
      kind: "other",
    });
  });

  it("keeps GitHub's message short and free of tokens", () => {
    const failure = classifyGitHubError(
      requestError(
        422,
        {},
        { message: `Validation Failed ghs_${"a".repeat(36)} ${"x".repeat(1000)}` },
      ),
      NOW,
    );
    expect(failure.kind).toBe("permanent");
    if (failure.kind !== "permanent") return;
    expect(failure.excerpt).toContain("[redacted]");
    expect(failure.excerpt).not.toContain("ghs_");
    expect(failure.excerpt.length).toBeLessThanOrEqual(301);
  });
});
