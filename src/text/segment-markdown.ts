import type { Nodes, Root } from "mdast";

/**
 * - `code-span` / `code-block`: GitHub renders it verbatim and never reads mentions or references in it.
 * - `url`: a link target, autolink, image or link definition; GitHub does not read mentions or
 *   references in links, and the text must stay a working URL.
 * - `prose`: everything else, raw HTML included (GitHub reads mentions in HTML text too).
 */
export type SegmentKind = "prose" | "code-span" | "code-block" | "url";

export interface Segment {
  kind: SegmentKind;
  start: number;
  end: number;
}

/**
 * Splits `markdown` into consecutive source ranges by how GitHub (CommonMark + GFM) will treat them,
 * given its parse `tree` (which may go on past `markdown`, as a probed parse does).
 */
export function segmentMarkdown(markdown: string, tree: Root): Segment[] {
  const special: Segment[] = [];
  const mark = (kind: SegmentKind, start: number | undefined, end: number | undefined): void => {
    const clippedEnd = Math.min(end ?? 0, markdown.length);
    if (start !== undefined && start < clippedEnd) special.push({ kind, start, end: clippedEnd });
  };
  const visit = (node: Nodes): void => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (node.type === "inlineCode") mark("code-span", start, end);
    else if (node.type === "code") mark("code-block", start, end);
    else if (node.type === "image" || node.type === "definition") mark("url", start, end);
    else if (node.type === "link" && markdown[start ?? 0] !== "[") mark("url", start, end);
    else if ("children" in node) {
      for (const child of node.children) visit(child);
      // `[text](target "title")`: the text is prose, what follows the last child is the target.
      const textEnd = node.children.at(-1)?.position?.end.offset ?? (start ?? 0) + 1;
      if (node.type === "link") mark("url", textEnd, end);
    }
  };
  visit(tree);
  const segments: Segment[] = [];
  let proseStart = 0;
  for (const segment of special) {
    if (segment.start > proseStart)
      segments.push({ kind: "prose", start: proseStart, end: segment.start });
    segments.push(segment);
    proseStart = segment.end;
  }
  if (proseStart < markdown.length)
    segments.push({ kind: "prose", start: proseStart, end: markdown.length });
  return segments;
}
