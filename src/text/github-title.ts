import type { HubValue } from "./hub-value.ts";
import { renderHubValues } from "./render-hub-values.ts";

/**
 * A tag for an issue or check-run title: ``githubTitle`[Endpoint] ${{ hubText: id }}` ``. Every
 * interpolation is a HubValue, put on one line with its mentions and references broken.
 */
export function githubTitle(strings: TemplateStringsArray, ...values: HubValue[]): string {
  return renderHubValues(strings, values, "title");
}
