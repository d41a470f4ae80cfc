/**
 * `HF_WEBHOOK_SECRET` holds one secret, or several separated by commas while a rotation is under way
 * (old and new both valid until every Hub webhook uses the new one). Unset or blank means none.
 * Entries are kept even when empty so that `prepareWebhookSecrets` can refuse a stray comma.
 */
export function splitSecretList(envValue: string | undefined): string[] {
  if (envValue === undefined || envValue.trim() === "") return [];
  return envValue.split(",").map((entry) => entry.trim());
}
