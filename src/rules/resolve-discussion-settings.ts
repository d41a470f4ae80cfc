import { type Route, routeSchema } from "../config/config-schema.ts";

export type DiscussionSettings = Exclude<Route["discussions"], boolean>;

/** The schema's own defaults, so `discussions: true` means exactly what `discussions: {}` means. */
const DEFAULT_SETTINGS: DiscussionSettings = routeSchema.shape.discussions
  .unwrap()
  .options[1].parse({});

/** The route's discussion settings with defaults filled in, or undefined when mirroring is off. */
export function resolveDiscussionSettings(route: Route): DiscussionSettings | undefined {
  const { discussions } = route;
  if (discussions === false) return undefined;
  if (discussions === true) return DEFAULT_SETTINGS;
  return discussions.enabled ? discussions : undefined;
}
