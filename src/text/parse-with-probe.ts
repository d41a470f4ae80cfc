import type { Root } from "mdast";
import { parseMarkdown } from "./parse-markdown.ts";

/** Letters only, so on its own it can only ever be a plain paragraph. */
const PROBE = "hfbridgeprobe";

export interface ProbedMarkdown {
  tree: Root;
  /** Where the probe paragraph starts in the parsed text. */
  probeAt: number;
}

/**
 * Parses `markdown` as GitHub will see it inside a bridge post: followed by a blank line and more
 * text. Which block the probe paragraph lands in tells whether the markdown leaves one open.
 */
export function parseWithProbe(markdown: string): ProbedMarkdown {
  return { tree: parseMarkdown(`${markdown}\n\n${PROBE}`), probeAt: markdown.length + 2 };
}
