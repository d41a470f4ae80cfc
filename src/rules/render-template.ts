import type { HubValue } from "../text/hub-value.ts";
import { renderHubValues } from "../text/render-hub-values.ts";
import { splitTemplate } from "./split-template.ts";

/**
 * Fills the `{{name}}` placeholders of a config template with text for GitHub: a Markdown body, or a
 * `title`. Each value says where it came from and is sanitised for the place it lands in, so a new
 * variable cannot skip sanitising. An unknown name stops with an error naming the template.
 */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, HubValue>>,
  inputName: string,
  target: "markdown" | "title",
): string {
  const split = splitTemplate(template, values, inputName);
  return renderHubValues(split.parts, split.values, target);
}
