import type { Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

const BYTE_ORDER_MARK = "\uFEFF";
/** Built once: the extensions are plain descriptions, the same for every parse. */
const SYNTAX_EXTENSIONS = [gfm()];
const TREE_EXTENSIONS = [gfmFromMarkdown()];

/**
 * Parses Markdown the way GitHub does (CommonMark + GFM), with source offsets on every node, so
 * callers can tell code from prose exactly instead of guessing with regexes. Offsets always index
 * `markdown` itself: the parser drops a leading byte order mark and counts from after it.
 */
export function parseMarkdown(markdown: string): Root {
  const tree = fromMarkdown(markdown, {
    extensions: SYNTAX_EXTENSIONS,
    mdastExtensions: TREE_EXTENSIONS,
  });
  if (markdown.startsWith(BYTE_ORDER_MARK)) shiftOffsets(tree, BYTE_ORDER_MARK.length);
  return tree;
}

function shiftOffsets(node: Nodes, by: number): void {
  const { start, end } = node.position ?? {};
  if (start?.offset !== undefined) start.offset += by;
  if (end?.offset !== undefined) end.offset += by;
  if ("children" in node) for (const child of node.children) shiftOffsets(child, by);
}
