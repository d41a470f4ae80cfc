import { SECONDARY_LIMIT_DEFAULT_WAIT_MS } from "../text/github-limits.ts";

/** Enough of GitHub's message to act on, short enough for a job's error column. */
const MESSAGE_EXCERPT_MAX_CHARS = 300;
/** GitHub's primary limit resets at `x-ratelimit-reset`; a second of margin absorbs clock skew. */
const PRIMARY_LIMIT_MARGIN_MS = 1_000;
/** Statuses that will not change on a retry: dead-letter at once. */
const PERMANENT_STATUSES = new Set([400, 401, 403, 404, 410, 422, 451]);
/** The App's installation-token request, which auth-app sends before the request that needs the token. */
const INSTALLATION_TOKEN_PATH = /\/app\/installations\/\d+\/access_tokens$/;
/** Credentials GitHub issues, in case a message ever echoes one back. */
const TOKEN_PATTERN =
  /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|v1\.[0-9a-f]{40})\b/g;

export type GitHubErrorClass =
  /** GitHub asked the client to wait (primary or secondary rate limit). */
  | { kind: "rate-limit"; until: number; reason: string }
  | { kind: "unauthorized"; status: 401; excerpt: string }
  /** GitHub refused the request as it is; retrying cannot help. */
  | { kind: "permanent"; status: number; excerpt: string }
  /**
   * A 5xx, a timeout or a dropped connection: the request may or may not have taken effect, so a
   * create must look for its object before being sent again.
   */
  | { kind: "unknown-outcome"; status?: number; excerpt: string }
  | { kind: "other"; status?: number; excerpt: string };

interface ErrorLike {
  status?: unknown;
  message?: unknown;
  /** The request that failed, as @octokit/request reports it. */
  request?: { method?: unknown; url?: unknown };
  response?: {
    headers?: Record<string, string | number | undefined>;
    data?: unknown;
  };
}

/** Sorts an Octokit RequestError (or a network failure) into what the executor should do about it. */
export function classifyGitHubError(error: unknown, now: number): GitHubErrorClass {
  const failure = (error ?? {}) as ErrorLike;
  const status = typeof failure.status === "number" ? failure.status : undefined;
  const headers = failure.response?.headers ?? {};
  const excerpt = messageExcerpt(failure);

  if (status === 403 || status === 429) {
    const retryAfter = Number(headers["retry-after"]);
    if (headers["retry-after"] !== undefined && Number.isFinite(retryAfter)) {
      return {
        kind: "rate-limit",
        until: now + Math.max(0, retryAfter) * 1000,
        reason: `GitHub rate limit (${status}, retry-after ${retryAfter} s)`,
      };
    }
    const reset = Number(headers["x-ratelimit-reset"]);
    if (String(headers["x-ratelimit-remaining"]) === "0" && Number.isFinite(reset)) {
      return {
        kind: "rate-limit",
        until: Math.max(now, reset * 1000 + PRIMARY_LIMIT_MARGIN_MS),
        reason: `GitHub primary rate limit exhausted (${status}), resets at ${new Date(reset * 1000).toISOString()}`,
      };
    }
    if (/secondary rate limit|abuse detection/i.test(excerpt)) {
      return {
        kind: "rate-limit",
        until: now + SECONDARY_LIMIT_DEFAULT_WAIT_MS,
        reason: `GitHub secondary rate limit (${status}) without retry-after`,
      };
    }
  }
  if (status === 401) return { kind: "unauthorized", status, excerpt };
  if (status !== undefined && PERMANENT_STATUSES.has(status)) {
    return { kind: "permanent", status, excerpt };
  }
  // @octokit/request reports timeouts and dropped connections as status 500 too.
  if (status === undefined || status >= 500) {
    // Without a token the request itself was never sent: nothing to look for, just try again.
    if (isTokenRequest(failure.request)) {
      return { kind: "other", excerpt: `the installation token request failed: ${excerpt}` };
    }
    return { kind: "unknown-outcome", status, excerpt };
  }
  return { kind: "other", status, excerpt };
}

function isTokenRequest(request: ErrorLike["request"]): boolean {
  if (request?.method !== "POST" || typeof request.url !== "string") return false;
  return INSTALLATION_TOKEN_PATH.test(URL.parse(request.url)?.pathname ?? "");
}

function messageExcerpt(failure: ErrorLike): string {
  const data = failure.response?.data as
    | { message?: unknown; errors?: Array<{ message?: unknown; code?: unknown; field?: unknown }> }
    | undefined;
  const parts: string[] = [];
  if (typeof data?.message === "string") parts.push(data.message);
  for (const detail of Array.isArray(data?.errors) ? data.errors : []) {
    const text = [detail.field, detail.code, detail.message]
      .filter((part) => typeof part === "string")
      .join(" ");
    if (text) parts.push(text);
  }
  if (parts.length === 0 && typeof failure.message === "string") parts.push(failure.message);
  const text = parts.join("; ").replace(TOKEN_PATTERN, "[redacted]").replace(/\s+/g, " ").trim();
  return text.length > MESSAGE_EXCERPT_MAX_CHARS
    ? `${text.slice(0, MESSAGE_EXCERPT_MAX_CHARS)}…`
    : text;
}
