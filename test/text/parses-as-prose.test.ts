import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findOpenBlockCloser } from "../../src/text/find-open-block-closer.ts";
import { parseWithProbe } from "../../src/text/parse-with-probe.ts";
import { parsesAsProse } from "../../src/text/parses-as-prose.ts";
import { segmentMarkdown } from "../../src/text/segment-markdown.ts";

/**
 * What the parser says of `markdown`: its segments as sanitizeHubText sees them, and whether it
 * leaves a block open.
 */
function parsedShape(markdown: string) {
  const probed = parseWithProbe(markdown);
  return {
    segments: segmentMarkdown(markdown, probed.tree),
    closer: findOpenBlockCloser(markdown, probed),
  };
}

function proseShape(markdown: string) {
  return {
    segments: markdown === "" ? [] : [{ kind: "prose", start: 0, end: markdown.length }],
    closer: undefined,
  };
}

/**
 * Pieces that pass the character check, chosen to come close to what is not prose: list, heading,
 * table and setext markers, emphasis, indentation just short of code, half autolinks, references.
 */
const NEAR_MISSES = [
  "a",
  "word",
  "Été",
  "日本",
  "12",
  " ",
  "  ",
  "   ",
  "\n",
  "\n\n",
  "-",
  "- ",
  "+ ",
  "* ",
  "1. ",
  "1)",
  "#",
  "# ",
  "###### ",
  "---",
  "===",
  "***",
  "___",
  "|",
  "| a | b |",
  "|---|",
  ":-:",
  ":",
  "::",
  "/",
  "//",
  ":/",
  "http",
  "https:",
  "ww",
  "w.",
  "GH-3",
  "#7",
  "acme/app#12",
  "/approve",
  "*",
  "**",
  "_",
  "__",
  "(",
  ")",
  '"',
  "'",
  "!",
  "?",
  ".",
  ",",
  ";",
  "%",
  "=",
];

describe("parsesAsProse", () => {
  it("accepts only text the parser finds to be one prose segment with no block left open", () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...NEAR_MISSES), { maxLength: 14 }), (pieces) => {
        const markdown = pieces.join("");
        if (!parsesAsProse(markdown)) return;
        accepted++;
        expect(parsedShape(markdown)).toEqual(proseShape(markdown));
      }),
      { numRuns: 5_000, seed: 21 },
    );
    // The check must accept most of these, or the property above proves nothing.
    expect(accepted).toBeGreaterThan(4_000);
  });

  it("accepts the short plain comments and titles it exists for", () => {
    for (const text of [
      "This adds an env key",
      "Hello!",
      "Thanks, fixed in #12 - see acme/app#3 (v2.1: 50% faster)",
      "Closing: /close is not needed\n\nCheers",
    ]) {
      expect(parsesAsProse(text)).toBe(true);
      expect(parsedShape(text)).toEqual(proseShape(text));
    }
  });

  it("sends to the parser whatever may be code, a link, an image, a definition or HTML", () => {
    for (const text of [
      "use `pip install`",
      "~~~\ncode",
      "    indented code",
      "-     code in a list item",
      "a\tb",
      "see [the docs](https://hf.co)",
      "![img](x.png)",
      "[ref]: /url",
      "<b>bold</b>",
      "https://hf.co/models",
      "www.example.com",
      "WWW.example.com",
      "mail me: user@example.com",
      "&#96;escaped&#96;",
      "a \\[b]",
      "@octocat",
      "Fixes — see",
      "line\r\nline",
    ]) {
      expect(parsesAsProse(text), JSON.stringify(text)).toBe(false);
    }
  });
});
