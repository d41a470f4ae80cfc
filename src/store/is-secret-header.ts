/** Headers that can carry a credential: never stored, whatever sent them. */
const SECRET_HEADERS = new Set([
  "x-webhook-secret",
  "authorization",
  "proxy-authorization",
  "cookie",
]);

/** Whether a header (any case) may carry a credential; the edge drops these and the store refuses them. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}
