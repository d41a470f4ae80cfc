import { timingSafeEqual } from "node:crypto";
import { sha256Digest, type WebhookSecrets } from "./prepare-webhook-secrets.ts";

/** Where a request carried its secret: the `X-Webhook-Secret` header, the `?secret=` query, or both. */
interface PresentedSecret {
  header?: string;
  query?: string;
}

type SecretVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Compares in constant time on SHA-256 digests, so neither the length nor the content of a configured
 * secret leaks through timing, and checks every configured secret so the match position does not either.
 * Reasons name what is wrong and never echo what was sent.
 */
export function verifySecret(presented: PresentedSecret, secrets: WebhookSecrets): SecretVerdict {
  if (secrets.kind === "unsigned") return { ok: true };
  const { header, query } = presented;
  if (header === undefined && query === undefined) {
    return {
      ok: false,
      reason:
        "no webhook secret was sent; set the Secret field of the Hub webhook (sent as X-Webhook-Secret) or add ?secret= to its URL",
    };
  }
  if (header !== undefined && query !== undefined && !sameText(header, query)) {
    return {
      ok: false,
      reason:
        "the X-Webhook-Secret header and the ?secret= query disagree; keep one of them, or make them equal",
    };
  }
  const candidate = sha256Digest(header ?? query ?? "");
  let matched = false;
  for (const digest of secrets.digests) {
    matched = timingSafeEqual(candidate, digest) || matched;
  }
  if (matched) return { ok: true };
  return {
    ok: false,
    reason:
      "the webhook secret does not match; make the Hub webhook's Secret equal to HF_WEBHOOK_SECRET",
  };
}

function sameText(a: string, b: string): boolean {
  return timingSafeEqual(sha256Digest(a), sha256Digest(b));
}
