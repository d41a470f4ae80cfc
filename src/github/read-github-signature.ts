/** GitHub's `X-Hub-Signature-256`: `sha256=` and the 64 hex digits of an HMAC-SHA256 of the raw body. */
const SIGNATURE_HEADER = /^sha256=([0-9a-f]{64})$/;

/**
 * The digest a GitHub delivery claims, read from headers alone so a request without a well-formed
 * signature is refused before a byte of its body is read; undefined when missing or malformed.
 */
export function readGitHubSignature(header: string | string[] | undefined): Buffer | undefined {
  const hex = typeof header === "string" ? SIGNATURE_HEADER.exec(header)?.[1] : undefined;
  return hex === undefined ? undefined : Buffer.from(hex, "hex");
}
