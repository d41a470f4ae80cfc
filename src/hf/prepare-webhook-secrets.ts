import { hash } from "node:crypto";

/** What the ingest route checks requests against: digests of the configured secrets, or nothing. */
export type WebhookSecrets =
  | { kind: "secrets"; digests: readonly Buffer[] }
  /** No secret configured and the operator said so explicitly: a dry-run demo only. */
  | { kind: "unsigned" };

const FIX = "set HF_WEBHOOK_SECRET to the ASCII secret you typed into the Hub webhook form";

/** The Hub sends the secret verbatim in an HTTP header, which carries printable ASCII only. */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * Checks the configured secrets once at start-up, so a typo stops the server instead of turning every
 * delivery into a 401. Errors never quote a secret; they say which entry is wrong and how to fix it.
 */
export function prepareWebhookSecrets(
  secrets: readonly string[],
  options: { allowUnsigned?: boolean } = {},
): WebhookSecrets {
  if (secrets.length === 0) {
    if (options.allowUnsigned) return { kind: "unsigned" };
    throw new Error(
      `no webhook secret is configured, so anyone could post events; ${FIX}, or pass allowUnsigned (--allow-unsigned) for a dry-run demo`,
    );
  }
  const digests = secrets.map((secret, index) => {
    const where = `HF_WEBHOOK_SECRET entry ${index + 1} of ${secrets.length}`;
    if (secret.length === 0) {
      throw new Error(`${where} is empty (a stray comma?); ${FIX}`);
    }
    if (!PRINTABLE_ASCII.test(secret)) {
      throw new Error(`${where} contains a character that is not printable ASCII; ${FIX}`);
    }
    return sha256Digest(secret);
  });
  return { kind: "secrets", digests };
}

export function sha256Digest(text: string): Buffer {
  // One-shot hashing: no Hash object per request on the ingest path.
  return hash("sha256", text, "buffer");
}
