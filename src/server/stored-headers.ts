import type { IncomingHttpHeaders } from "node:http";

/** Headers that can carry a credential: never stored, whatever sent them. */
const SECRET_HEADERS = new Set([
  "x-webhook-secret",
  "authorization",
  "proxy-authorization",
  "cookie",
]);

/** The request headers as stored beside a delivery, minus anything secret-bearing. */
export function storedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || SECRET_HEADERS.has(name)) continue;
    kept[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return kept;
}
