import { githubTitle } from "../text/github-title.ts";

/**
 * The card issue's title for the endpoint `namespace/name`. The Action finds cards by this exact
 * title, so both build it here.
 */
export function endpointCardTitle(endpointId: string): string {
  return githubTitle`[Endpoint] ${{ hubText: endpointId }}`;
}
