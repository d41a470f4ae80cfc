import type { Nodes, Root } from "mdast";
import type { ValueContext } from "./hub-value.ts";
import { parseMarkdown } from "./parse-markdown.ts";

/** Where a value stands in the text, as a source range of the placeholder that holds its place. */
export interface ValueSlot {
  start: number;
  end: number;
}

const FENCE_OPENER = /^ {0,3}(?:`{3}|~{3})/;
const BLANK_REST_OF_LINE = /^[^\S\n\r]*(?:[\n\r]|$)/;

/**
 * The context of each slot in `markdown`, where each slot holds a placeholder made of letters only
 * (so on its own it can only be a word of text, a link target or code). The text is parsed once,
 * the way GitHub will parse it, and each slot is looked up in the tree. Each value is then sanitised
 * so that it parses as its placeholder did: text that cannot open or close anything, or a URL made
 * only of characters that cannot end the link it is in.
 */
export function findValueContexts(markdown: string, slots: readonly ValueSlot[]): ValueContext[] {
  const tree = parseMarkdown(markdown);
  return slots.map((slot) => contextOf(tree, markdown, slot));
}

function contextOf(tree: Root, markdown: string, slot: ValueSlot): ValueContext {
  let node: Nodes = tree;
  let depth = 0;
  for (;;) {
    const found = contextOfNode(node, depth, markdown, slot);
    if (found !== undefined) return found;
    const child = childHolding(node, slot);
    if (child === undefined) break;
    node = child;
    depth++;
  }
  return standsAlone(tree, markdown, slot) ? "block" : "prose";
}

function contextOfNode(
  node: Nodes,
  depth: number,
  markdown: string,
  slot: ValueSlot,
): ValueContext | undefined {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? 0;
  switch (node.type) {
    case "inlineCode":
      return "code-span";
    case "code":
      // Only a fence at the top level lets lines of the value follow each other unindented.
      return depth === 1 && FENCE_OPENER.test(markdown.slice(start, end))
        ? "fenced-code"
        : "code-span";
    case "html":
      return start === slot.start - 1 && end === slot.end + 1 ? "autolink" : "html";
    case "image":
    case "definition":
      return "url";
    case "link":
      // `[text](target)` is a target only after its text; `<https://…>` is all target.
      if (markdown[start] === "[")
        return childHolding(node, slot) === undefined ? "url" : undefined;
      return markdown[start] === "<" ? "url" : "literal-link";
    default:
      return undefined;
  }
}

function childHolding(node: Nodes, slot: ValueSlot): Nodes | undefined {
  if (!("children" in node)) return undefined;
  return (node.children as Nodes[]).find(
    ({ position }) =>
      (position?.start.offset ?? 0) <= slot.start && slot.end <= (position?.end.offset ?? 0),
  );
}

/** Blocks whose items go on in indented lines after a blank one: a value's indented code would join them. */
const TAKES_INDENTED_LINES: ReadonlySet<Nodes["type"]> = new Set(["list", "footnoteDefinition"]);

/**
 * A Markdown value keeps its own block structure only as a top-level paragraph that starts at the
 * beginning of a line, has the line to itself and follows no list or footnote: then it parses as it
 * would alone, so what its sanitiser treated as code is code on GitHub too.
 */
function standsAlone(tree: Root, markdown: string, slot: ValueSlot): boolean {
  const index = tree.children.findIndex(
    ({ position }) =>
      (position?.start.offset ?? 0) <= slot.start && slot.end <= (position?.end.offset ?? 0),
  );
  const block = tree.children[index];
  const previous = tree.children[index - 1];
  if (previous !== undefined && TAKES_INDENTED_LINES.has(previous.type)) return false;
  const lineStart = slot.start === 0 || /[\n\r]/.test(markdown[slot.start - 1] ?? "");
  return (
    block?.type === "paragraph" &&
    block.position?.start.offset === slot.start &&
    lineStart &&
    BLANK_REST_OF_LINE.test(markdown.slice(slot.end))
  );
}
