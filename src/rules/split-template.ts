import { PLACEHOLDER_PATTERN } from "../config/find-unknown-placeholders.ts";

/** A template cut at its `{{name}}` placeholders: `parts` has one more entry than `names`. */
interface SplitTemplate<T> {
  parts: string[];
  values: T[];
}

/**
 * Cuts `template` at its placeholders and looks each one up in `values`. An unknown name is a config
 * mistake, so it is reported with the input's name, the template as written and the allowed names.
 */
export function splitTemplate<T>(
  template: string,
  values: Readonly<Record<string, T>>,
  inputName: string,
): SplitTemplate<T> {
  const parts: string[] = [];
  const found: T[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER_PATTERN)) {
    const [placeholder, name = ""] = match;
    if (!Object.hasOwn(values, name)) {
      const allowed = Object.keys(values)
        .map((key) => `{{${key}}}`)
        .join(", ");
      throw new Error(
        `${inputName} ${JSON.stringify(template)} uses unknown placeholder ${placeholder}; use one of ${allowed}`,
      );
    }
    parts.push(template.slice(last, match.index));
    found.push(values[name] as T);
    last = match.index + placeholder.length;
  }
  parts.push(template.slice(last));
  return { parts, values: found };
}
