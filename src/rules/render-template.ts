import { PLACEHOLDER_PATTERN } from "./find-unknown-placeholders.ts";

/**
 * Fills `{{name}}` placeholders. An unknown name is a config mistake, so it is reported with the
 * input's name, the template as written and the names that are allowed.
 */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
  inputName: string,
): string {
  return template.replace(PLACEHOLDER_PATTERN, (placeholder, name: string) => {
    if (Object.hasOwn(values, name)) return values[name] as string;
    const allowed = Object.keys(values)
      .map((key) => `{{${key}}}`)
      .join(", ");
    throw new Error(
      `${inputName} ${JSON.stringify(template)} uses unknown placeholder ${placeholder}; use one of ${allowed}`,
    );
  });
}
