import type { FakeGitHub } from "../support/fake-github/start-fake-github.ts";

export interface FakeAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A plain fetch against the fake, so these tests do not depend on the executor's Octokit setup. */
export async function callFake(
  fake: FakeGitHub,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string } = {},
): Promise<FakeAnswer> {
  const headers: Record<string, string> = { accept: "application/vnd.github+json" };
  if (options.token !== undefined) headers.authorization = `token ${options.token}`;
  const payload =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, body: payload });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}
