import { renderLinkMarker } from "../text/link-marker.ts";
import { truncateBody } from "./truncate-body.ts";

/**
 * The body GitHub receives for the link `linkKey`: the effect's text, truncated to GitHub's limit,
 * ending in the signed link marker (and the source link, when the effect has one).
 */
export function composeMarkedBody(
  text: { body: string; sourceUrl?: string | undefined },
  linkKey: string,
  markerKey: string,
): string {
  const marker = renderLinkMarker(linkKey, markerKey);
  return truncateBody(text.body, {
    marker,
    ...(text.sourceUrl === undefined ? {} : { sourceUrl: text.sourceUrl }),
  });
}
