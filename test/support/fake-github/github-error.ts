import type { Reply } from "./types.ts";

const DOCUMENTATION_URL = "https://docs.github.com/rest";

/** GitHub's error body: `message`, `documentation_url`, `status` as a string, and `errors` for 422s. */
export function githubError(status: number, message: string, errors?: unknown[]): Reply {
  return {
    status,
    body: {
      message,
      ...(errors ? { errors } : {}),
      documentation_url: DOCUMENTATION_URL,
      status: String(status),
    },
  };
}
