import { renderLinkMarker } from "../github/link-marker.ts";
import { githubMarkdown } from "../github/text/github-markdown.ts";
import type { SpaceCardState } from "./read-space-card-state.ts";

/**
 * A Space card: its runtime stage and error message, the signed marker that proves the bridge wrote
 * it, and (once the stage has been reported) the hidden state the next `watch` run compares with.
 * Base64url keeps `-->` and line breaks out of the state comment.
 */
export function renderSpaceCardBody(input: {
  space: string;
  hubUrl: string;
  markerKey: string;
  state: SpaceCardState;
  /** False while the transition's comment is still to be posted, so a killed run repeats it. */
  withState: boolean;
}): string {
  const { space, state } = input;
  const lines = [
    githubMarkdown`## Space \`${{ hubText: space }}\`: ${{ hubText: state.stage }}`,
    "",
    githubMarkdown`${{ hubUrl: `${input.hubUrl}/spaces/${space}` }}`,
  ];
  if (state.errorMessage !== undefined) {
    lines.push("", "Error message:", "", githubMarkdown`${{ hubMarkdown: state.errorMessage }}`);
  }
  lines.push("", renderLinkMarker(`space-card:${space}`, input.markerKey));
  if (input.withState) {
    const encoded = Buffer.from(JSON.stringify(state), "utf8").toString("base64url");
    lines.push(`<!-- hf-bridge:space-state=${encoded} -->`);
  }
  return lines.join("\n");
}
