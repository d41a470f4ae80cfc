import { createHmac, timingSafeEqual } from "node:crypto";

type SignedCookieRead =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; reason: string };

/**
 * Checks a value made by `signCookieValue` and its `exp` (seconds since the epoch); the reason says
 * what was wrong in words a person who sees it can act on.
 */
export function readSignedCookieValue(
  value: string,
  key: Buffer,
  now: Date,
  name: string,
): SignedCookieRead {
  const [body, mac, extra] = value.split(".");
  if (!body || !mac || extra !== undefined) {
    return { ok: false, reason: `the ${name} cookie is not a signed value; sign in again` };
  }
  const expected = createHmac("sha256", key).update(body).digest();
  const presented = Buffer.from(mac, "base64url");
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return {
      ok: false,
      reason: `the ${name} cookie's signature does not match (changed, forged, or signed before the key changed); sign in again`,
    };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: `the ${name} cookie holds no JSON; sign in again` };
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return { ok: false, reason: `the ${name} cookie holds no object; sign in again` };
  }
  const exp = (payload as Record<string, unknown>).exp;
  if (typeof exp !== "number" || exp * 1000 <= now.getTime()) {
    return { ok: false, reason: `the ${name} cookie has expired; sign in again` };
  }
  return { ok: true, payload: payload as Record<string, unknown> };
}
