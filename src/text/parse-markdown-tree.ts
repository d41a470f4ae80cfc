import type { Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

/** Built once: the extensions are plain descriptions, the same for every parse. */
const SYNTAX_EXTENSIONS = [gfm()];
const TREE_EXTENSIONS = [gfmFromMarkdown()];

/** CommonMark + GFM, as GitHub reads it, with source offsets on every node. */
export function parseMarkdownTree(markdown: string): Root {
  return fromMarkdown(markdown, {
    extensions: SYNTAX_EXTENSIONS,
    mdastExtensions: TREE_EXTENSIONS,
  });
}
