import type { Nodes } from "mdast";
import { readLinkMarker } from "../../src/text/link-marker.ts";
import { parseMarkdown } from "../../src/text/parse-markdown.ts";

// The checks the brief sets for sanitised text, judged on what GitHub renders (mdast text and HTML),
// not on the sanitiser's own segmentation.
const LIVE_MENTION = /(^|[^\w`])@[A-Za-z0-9]/m;
const LIVE_REFERENCE = /#\d|(^|[^A-Za-z0-9_])GH-\d/im;
const BOT_COMMAND = /(^|[^A-Za-z0-9_])@(dependabot|mergifyio|renovate)\b/i;
const SLASH_COMMAND_LINE = /^\s*\/\w/;
const PROBE = "afterthetext";

/** Every way `output` could still act on GitHub; empty when it is safe. */
export function findLiveEffects(output: string, markerKey: string): string[] {
  const found: string[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === "link" || node.type === "code" || node.type === "inlineCode") return;
    if (node.type === "text" || node.type === "html") {
      if (LIVE_MENTION.test(node.value))
        found.push(`live mention in ${JSON.stringify(node.value)}`);
      if (LIVE_REFERENCE.test(node.value))
        found.push(`live reference in ${JSON.stringify(node.value)}`);
    }
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(parseMarkdown(output));
  if (BOT_COMMAND.test(output)) found.push("bot command");
  for (const line of output.split(/\r\n|[\n\r\u2028\u2029]/)) {
    if (SLASH_COMMAND_LINE.test(line)) found.push(`slash command line ${JSON.stringify(line)}`);
  }
  if (output.includes("<!--")) found.push("HTML comment opener");
  if (readLinkMarker(output, markerKey) !== undefined) found.push("readable link marker");
  const after = parseMarkdown(`${output}\n\n${PROBE}`).children.at(-1);
  if (after?.type !== "paragraph" || after.position?.start.offset !== output.length + 2) {
    found.push("swallows what follows");
  }
  return found;
}
