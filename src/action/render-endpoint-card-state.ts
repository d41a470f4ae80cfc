import type { EndpointWatchState } from "../endpoints/read-endpoint-watch-state.ts";

/**
 * The endpoint's last reported state as a hidden block in its card body: the Action keeps no store,
 * so the next run reads it back from here. Base64url keeps `-->` and line breaks out of the comment.
 */
export function renderEndpointCardState(state: EndpointWatchState): string {
  const encoded = Buffer.from(JSON.stringify(state), "utf8").toString("base64url");
  return `<!-- hf-bridge:endpoint-state=${encoded} -->`;
}
