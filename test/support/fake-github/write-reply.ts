import type { ServerResponse } from "node:http";
import type { Reply } from "./types.ts";

/** Writes a reply unless the socket is gone; `defaults` (rate-limit headers) yield to the reply's own. */
export function writeReply(
  response: ServerResponse,
  reply: Reply,
  defaults: Record<string, string>,
): void {
  if (response.headersSent || response.destroyed) return;
  const headers: Record<string, string> = { ...defaults, ...reply.headers };
  const hasBody = reply.status !== 204 && reply.body !== undefined;
  if (hasBody) headers["content-type"] = "application/json; charset=utf-8";
  response.writeHead(reply.status, headers);
  response.end(hasBody ? JSON.stringify(reply.body) : undefined);
}
