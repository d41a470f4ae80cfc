import type { IncomingMessage } from "node:http";

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * Whether a request comes from the bridge's own machine and not through a proxy: a proxy on the same
 * host connects from loopback too, but says for whom it forwards.
 */
export function isLocalRequest(req: IncomingMessage): boolean {
  const proxied =
    req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined;
  return !proxied && LOOPBACK.test(req.socket.remoteAddress ?? "");
}
