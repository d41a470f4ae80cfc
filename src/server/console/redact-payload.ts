/** Keys whose values are credentials wherever they appear in a payload. */
const SECRET_KEY = /secret|token|password|authorization|api[-_]?key|cookie/i;

/**
 * The stored body pretty-printed for the detail page, with any credential-looking field's value
 * replaced: the Hub sends its secret in a header (never stored), but a payload from elsewhere might
 * carry one in the body.
 */
export function redactPayload(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  return JSON.stringify(
    parsed,
    (key, value) => (key !== "" && SECRET_KEY.test(key) ? "(hidden)" : value),
    2,
  );
}
