import { renderLinkMarker } from "./link-marker.ts";
import { truncateBody } from "./truncate-body.ts";

/** The body GitHub receives: the text, truncated to GitHub's limit, ending in the signed link marker. */
export function composeMarkedBody(options: {
  body: string;
  linkKey: string;
  markerKey: string;
  sourceUrl?: string | undefined;
}): string {
  const marker = renderLinkMarker(options.linkKey, options.markerKey);
  return truncateBody(options.body, {
    marker,
    ...(options.sourceUrl === undefined ? {} : { sourceUrl: options.sourceUrl }),
  });
}
