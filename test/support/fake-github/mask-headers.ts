import type { IncomingMessage } from "node:http";

/** Keeps the scheme so tests can tell `token` from `bearer`, never the credential. */
export function maskHeaders(headers: IncomingMessage["headers"]): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    masked[name] = name === "authorization" ? text.replace(/^(\S+)\s+.*$/, "$1 ***") : text;
  }
  return masked;
}
