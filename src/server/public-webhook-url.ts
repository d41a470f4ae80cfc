import type { IncomingMessage } from "node:http";

/** A Host header that is a plain host name or address with an optional port; anything else is not echoed. */
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The URL to paste into the Hub webhook form: the configured public URL when there is one (the bridge
 * sits behind a proxy that knows its real name), else what this request was addressed to.
 */
export function publicWebhookUrl(req: IncomingMessage, path: string, publicUrl?: string): string {
  if (publicUrl) return `${publicUrl.replace(/\/+$/, "")}${path}`;
  const forwarded = String(req.headers["x-forwarded-proto"] ?? "")
    .split(",")[0]
    ?.trim()
    .toLowerCase();
  const encrypted = "encrypted" in req.socket && req.socket.encrypted === true;
  const protocol =
    forwarded === "https" || forwarded === "http" ? forwarded : encrypted ? "https" : "http";
  const host =
    req.headers.host && PLAIN_HOST.test(req.headers.host) ? req.headers.host : "<your-host>";
  return `${protocol}://${host}${path}`;
}
