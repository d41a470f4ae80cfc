import { closeOpenBlocks } from "./close-open-blocks.ts";
import { findOpenBlockCloser } from "./find-open-block-closer.ts";
import { neutraliseEverywhere } from "./neutralise-everywhere.ts";
import { neutraliseProse } from "./neutralise-prose.ts";
import { neutraliseUrl } from "./neutralise-url.ts";
import { parseWithProbe } from "./parse-with-probe.ts";
import { parsesAsProse } from "./parses-as-prose.ts";
import { type SegmentKind, segmentMarkdown } from "./segment-markdown.ts";

const NEUTRALISERS: Record<SegmentKind, (text: string) => string> = {
  prose: neutraliseProse,
  url: neutraliseUrl,
  // Mentions and references in code are not live; code is kept as written, to copy cleanly.
  "code-span": (code) => code,
  "code-block": (code) => code,
};

/**
 * Each pass only adds neutralisers, so passes converge; another pass is needed only when one changed
 * how the Markdown parses (a neutralised HTML tag frees its backticks, which can end a code span).
 */
const MAX_PASSES = 8;

/**
 * Makes text copied from the Hub safe to post on GitHub with the bridge's write access: no mention
 * notifies anyone, no reference links another thread, no slash or bot command runs, no HTML comment,
 * `<details>` or open code fence breaks out of the bridge's layout, and no marker can be spoofed.
 * Code spans and blocks are parsed (CommonMark + GFM) and left as written where that is safe, as are
 * e-mail addresses. Idempotent: sanitising sanitised text changes nothing.
 */
export function sanitizeHubText(markdown: string): string {
  let text = markdown;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = sanitizeOnce(text);
    if (next === text) break;
    text = next;
  }
  return text;
}

function sanitizeOnce(markdown: string): string {
  // One prose segment from end to end, nothing left open: what the parse would find.
  if (parsesAsProse(markdown)) return neutraliseEverywhere(neutraliseProse(markdown));
  const probed = parseWithProbe(markdown);
  const rewritten = neutraliseEverywhere(
    segmentMarkdown(markdown, probed.tree)
      .map(({ kind, start, end }) => NEUTRALISERS[kind](markdown.slice(start, end)))
      .join(""),
  );
  // Rare, so the rewritten text is parsed again only then (neutralising can change what is open).
  return findOpenBlockCloser(markdown, probed) === undefined
    ? rewritten
    : closeOpenBlocks(rewritten);
}
