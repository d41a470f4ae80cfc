import type { IncomingHttpHeaders } from "node:http";
import { isSecretHeader } from "../store/is-secret-header.ts";

/** The request headers as stored beside a delivery, minus anything secret-bearing. */
export function storedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || isSecretHeader(name)) continue;
    kept[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return kept;
}
