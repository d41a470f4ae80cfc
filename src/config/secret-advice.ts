export interface SecretAdvice {
  /** What the thing looks like, e.g. "a GitHub token" or "a secret". */
  looksLike: string;
  /** Where the secret belongs instead. */
  useInstead: string;
}

const GITHUB_TOKEN = "GITHUB_TOKEN";
const HF_TOKEN = "HF_TOKEN";
const ANY_TOKEN = "GITHUB_TOKEN (for GitHub) or HF_TOKEN (for the Hub)";

// Token formats published by GitHub and Hugging Face, and PEM private keys: recognisable by shape
// even under an innocent key name.
const SECRET_VALUE_SHAPES: ReadonlyArray<{ pattern: RegExp; advice: SecretAdvice }> = [
  {
    pattern: /^(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,})$/,
    advice: { looksLike: "a GitHub token", useInstead: GITHUB_TOKEN },
  },
  {
    pattern: /^hf_[A-Za-z0-9]{20,}$/,
    advice: { looksLike: "a Hugging Face token", useInstead: HF_TOKEN },
  },
  {
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    advice: { looksLike: "a private key", useInstead: "PRIVATE_KEY (with APP_ID)" },
  },
];

/**
 * Whether a config key or value is (or names) a secret, and which environment variable it belongs in.
 * Secrets in a committed YAML file end up in git history, so the bridge reads them from the
 * environment only.
 */
export function secretAdvice(key: string | undefined, value: unknown): SecretAdvice | undefined {
  if (typeof value === "string") {
    const shape = SECRET_VALUE_SHAPES.find(({ pattern }) => pattern.test(value.trim()));
    if (shape) return shape.advice;
  }
  if (key === undefined) return undefined;
  const name = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  const looksLike = "a secret";
  if (name.includes("privatekey") || name.endsWith("pem")) {
    return { looksLike, useInstead: "PRIVATE_KEY (with APP_ID)" };
  }
  if (name.includes("password") || name.includes("passwd")) {
    return { looksLike, useInstead: "HF_BRIDGE_STORE (a database password goes in the store URL)" };
  }
  if (/token|apikey|accesskey|credential|^pat$/.test(name)) {
    if (/github|^gh/.test(name)) return { looksLike, useInstead: GITHUB_TOKEN };
    if (/hf|hub|huggingface/.test(name)) return { looksLike, useInstead: HF_TOKEN };
    return { looksLike, useInstead: ANY_TOKEN };
  }
  if (name.includes("secret")) {
    // A GitHub App has its own webhook secret; everything else secret-like is the Hub webhook's.
    if (/github|app/.test(name)) return { looksLike, useInstead: "WEBHOOK_SECRET" };
    return { looksLike, useInstead: "HF_WEBHOOK_SECRET" };
  }
  return undefined;
}
