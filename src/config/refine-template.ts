import type { z } from "zod";
import { findUnknownPlaceholders } from "./find-unknown-placeholders.ts";
import { suggestClosest } from "./suggest-closest.ts";

/**
 * A zod refinement that refuses `{{name}}` placeholders outside `allowed`: the planner would stop the
 * job on them, so the config is refused at load instead, with the nearest allowed name.
 */
export function refineTemplate(
  allowed: readonly string[],
): (template: string, context: z.RefinementCtx) => void {
  const listed = allowed.map((name) => `{{${name}}}`).join(", ");
  return (template, context) => {
    for (const { placeholder, name } of findUnknownPlaceholders(template, allowed)) {
      const closest = suggestClosest(name, allowed);
      context.addIssue({
        code: "custom",
        message: `unknown placeholder ${placeholder}`,
        params: {
          fix: closest
            ? `did you mean {{${closest}}}? (variables allowed here: ${listed})`
            : `use one of ${listed}`,
        },
      });
    }
  };
}
