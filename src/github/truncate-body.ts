import { closeOpenBlocks } from "../text/close-open-blocks.ts";
import { ISSUE_COMMENT_BODY_MAX_CHARS } from "../text/github-limits.ts";
import { githubMarkdown } from "../text/github-markdown.ts";
import { graphemeBoundaryAtOrBefore } from "../text/grapheme-boundary-at-or-before.ts";
import { parseMarkdown } from "../text/parse-markdown.ts";
import { type Segment, segmentMarkdown } from "../text/segment-markdown.ts";

interface TruncateBodyOptions {
  /** The hidden link marker; always kept whole at the very end. */
  marker: string;
  maxChars?: number;
  /** Where the full text lives, named in the truncation notice. */
  sourceUrl?: string;
}

/** A cut at most this far past a line break moves back to it, so the notice does not follow half a line. */
const LINE_BREAK_SEARCH_CHARS = 1000;

/**
 * The body with the marker appended, cut to fit `maxChars` (GitHub counts UTF-16 characters) when it
 * is too long: the cut never splits a character or a code span, closes a code fence it lands in, and
 * is followed by a notice pointing to the full text and by the marker.
 */
export function truncateBody(
  body: string,
  { marker, maxChars = ISSUE_COMMENT_BODY_MAX_CHARS, sourceUrl }: TruncateBodyOptions,
): string {
  const whole = `${body}\n\n${marker}`;
  if (whole.length <= maxChars) return whole;
  const notice = sourceUrl
    ? githubMarkdown`…truncated: the full text is on the Hub: ${{ hubUrl: sourceUrl }}`
    : "…truncated: the full text is on the Hub.";
  const tail = `\n\n${notice}\n\n${marker}`;
  if (tail.length >= maxChars) {
    throw new Error(
      `maxChars ${maxChars} leaves no room for the body after the notice and marker (${tail.length} characters); pass a larger maxChars`,
    );
  }
  const uncuttable = segmentMarkdown(body, parseMarkdown(body)).filter(
    (segment) => segment.kind === "code-span" || segment.kind === "url",
  );
  let budget = maxChars - tail.length;
  for (;;) {
    const head = closeOpenBlocks(body.slice(0, cutPoint(body, budget, uncuttable)));
    if (head.length + tail.length <= maxChars) return head + tail;
    budget -= head.length + tail.length - maxChars;
  }
}

/**
 * Cutting inside a code span would leave its opening backtick unmatched and turn its content into
 * live prose (a mention the sanitiser left alone inside code would notify); cutting inside a link
 * target would do the same to its `#fragment`. So the cut moves before such a span.
 */
function cutPoint(body: string, budget: number, uncuttable: Segment[]): number {
  let cut = graphemeBoundaryAtOrBefore(body, budget);
  const lineEnd = body.lastIndexOf("\n", cut - 1) + 1;
  if (lineEnd > 0 && cut - lineEnd <= LINE_BREAK_SEARCH_CHARS) cut = lineEnd;
  for (const { start, end } of uncuttable) {
    if (start < cut && cut < end) cut = start;
  }
  return cut;
}

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes including `notice` (check-run summary and text are
 * limited in bytes, not characters); the cut never splits a character, so no U+FFFD appears.
 */
export function truncateUtf8Bytes(text: string, maxBytes: number, notice: string): string {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(notice, "utf8");
  if (budget < 0) {
    throw new Error(
      `notice ${JSON.stringify(notice)} alone is over maxBytes ${maxBytes}; pass a shorter notice or a larger maxBytes`,
    );
  }
  let bytes = 0;
  let fits = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char, "utf8");
    if (bytes > budget) break;
    fits += char.length;
  }
  return text.slice(0, graphemeBoundaryAtOrBefore(text, fits)) + notice;
}
