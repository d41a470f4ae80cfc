/** `{{ name }}`, spaces allowed inside the braces; shared by rendering and config validation. */
export const PLACEHOLDER_PATTERN = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** The placeholders of `template`, as written (e.g. `{{titel}}`), whose names are not in `allowed`. */
export function findUnknownPlaceholders(
  template: string,
  allowed: readonly string[],
): { placeholder: string; name: string }[] {
  return [...template.matchAll(PLACEHOLDER_PATTERN)]
    .map((match) => ({ placeholder: match[0], name: match[1] ?? "" }))
    .filter(({ name }) => !allowed.includes(name));
}
