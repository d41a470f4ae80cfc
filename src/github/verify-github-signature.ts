import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Whether `digest` is the HMAC-SHA256 of the raw body under the App's webhook secret, compared in
 * constant time. The bytes are hashed as received: decoding them first could change what is checked.
 */
export function verifyGitHubSignature(body: Buffer, digest: Buffer, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(body).digest();
  return digest.length === expected.length && timingSafeEqual(digest, expected);
}
