import type { HubValue } from "./hub-value.ts";
import { renderHubValues } from "./render-hub-values.ts";

/**
 * A tag for Markdown the bridge writes on GitHub: ``githubMarkdown`Model: [${{ hubText: name }}](${{ hubUrl: url }})` ``.
 * Every interpolation is a HubValue, sanitised for where it lands; a bare string does not type-check.
 */
export function githubMarkdown(strings: TemplateStringsArray, ...values: HubValue[]): string {
  return renderHubValues(strings, values, "markdown");
}
