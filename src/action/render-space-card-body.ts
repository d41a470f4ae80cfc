import { githubMarkdown } from "../text/github-markdown.ts";
import { renderLinkMarker } from "../text/link-marker.ts";
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
  /** A failed build's last log lines (the check run's excerpt, shorter), shown under the message. */
  buildLog?: { excerpt: string; lines: number; url: string };
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
  const log = input.buildLog;
  if (log) {
    lines.push(
      "",
      githubMarkdown`Build log, last ${{ bridge: String(log.lines) }} lines ([full log](${{ hubUrl: log.url }})):`,
      "",
      githubMarkdown`\`\`\`text
${{ hubText: log.excerpt }}
\`\`\``,
    );
  }
  lines.push("", renderLinkMarker(`space-card:${space}`, input.markerKey));
  if (input.withState) {
    const encoded = Buffer.from(JSON.stringify(state), "utf8").toString("base64url");
    lines.push(`<!-- hf-bridge:space-state=${encoded} -->`);
  }
  return lines.join("\n");
}
