import { createHmac } from "node:crypto";

/**
 * A cookie value the browser cannot change unnoticed: the JSON payload and its HMAC-SHA256, both
 * base64url, joined by a dot. The payload is readable by whoever holds the cookie, so it holds no
 * secret the holder may not know (a name, a CSRF token, the PKCE verifier of their own sign-in).
 */
export function signCookieValue(payload: object, key: Buffer): string {
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  const mac = createHmac("sha256", key).update(body).digest("base64url");
  return `${body}.${mac}`;
}
