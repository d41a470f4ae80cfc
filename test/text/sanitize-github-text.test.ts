import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderLinkMarker } from "../../src/text/link-marker.ts";
import { parseMarkdown } from "../../src/text/parse-markdown.ts";
import { sanitizeGitHubText } from "../../src/text/sanitize-github-text.ts";
import { segmentMarkdown } from "../../src/text/segment-markdown.ts";
import "../support/fast-check-seed.ts";

const ZWSP = "\u200B";
const MARKER = renderLinkMarker("hub-discussion:6366c000a2abcdf2fd69a080:3", "test-marker-key");

/** `@name` and `#12` in the prose of `text`, as the Hub would read them. */
function liveOnHub(text: string): string[] {
  return segmentMarkdown(text, parseMarkdown(text))
    .filter((segment) => segment.kind === "prose")
    .flatMap(({ start, end }) => {
      const prose = text.slice(start, end);
      return [
        ...prose.matchAll(/(?<![A-Za-z0-9_])@[A-Za-z0-9][\w.-]*/g),
        ...prose.matchAll(/(?<!&)#\d+/g),
        ...prose.matchAll(/&(?:#0*64|#x0*40|commat);[A-Za-z0-9]+/gi),
      ].map((match) => match[0]);
    })
    .concat(text.match(/hf-bridge:link=/gi) ?? []);
}

const FRAGMENTS = [
  "@alice",
  "@acme/reviewers",
  "(@bob)",
  "#12",
  "acme/app#3",
  "me@example.com",
  "first.last+tag@example.org",
  "a@b.com@carol",
  "`@property`",
  "```python\n@torch.no_grad()\n```",
  "https://huggingface.co/@dave",
  "<https://example.com/@erin>",
  "[@frank](https://example.com/@frank)",
  "&#64;grace",
  "&#x40;heidi",
  "&commat;ivan",
  "&#35;7",
  "&#12;",
  MARKER,
  "- ",
  "> ",
  "**",
  "_",
  "`",
  "@",
  "#",
  "&",
];
const markdownish = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
        { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
      ),
      fc.constantFrom("", " ", "\n", "\n\n", "\n    "),
    ),
    { maxLength: 25 },
  )
  .map((parts) => parts.map(([fragment, separator]) => fragment + separator).join(""));

describe("sanitizeGitHubText (GitHub text written to the Hub)", () => {
  it("neutralises Hub mentions with a zero-width space after the @, wherever prose puts them", () => {
    expect(sanitizeGitHubText("Thanks @alice, and (@bob) — cc @acme/reviewers.")).toBe(
      `Thanks @${ZWSP}alice, and (@${ZWSP}bob) — cc @${ZWSP}acme/reviewers.`,
    );
    expect(
      sanitizeGitHubText("- @alice\n\n# @bob\n\n**@carol** [@dave](https://example.com)"),
    ).toBe(
      `- @${ZWSP}alice\n\n# @${ZWSP}bob\n\n**@${ZWSP}carol** [@${ZWSP}dave](https://example.com)`,
    );
  });

  it("neutralises mentions spelled as entities and the one after an e-mail address", () => {
    expect(sanitizeGitHubText("&#64;alice &#x40;bob &commat;carol a@b.com@dave")).toBe(
      `&#64;${ZWSP}alice &#x40;${ZWSP}bob &commat;${ZWSP}carol a@b.com@${ZWSP}dave`,
    );
  });

  it("keeps e-mail addresses, code and link targets as written", () => {
    const kept = [
      "write to me@example.com or first.last+tag@example.org",
      "use `@property` here",
      "```python\n@torch.no_grad()\ndef f(): ...\n```",
      "    @indented_decorator",
      "see https://huggingface.co/@alice and <https://example.com/@bob>",
      "[profile](https://example.com/@carol)",
    ];
    for (const text of kept) expect(sanitizeGitHubText(text)).toBe(text);
  });

  it("keeps #12 from linking an unrelated Hub discussion, without breaking entities", () => {
    expect(sanitizeGitHubText("fixed in #12 and acme/app#3; &#35;7 too; form feed &#12;")).toBe(
      `fixed in #${ZWSP}12 and acme/app#${ZWSP}3; &#35;${ZWSP}7 too; form feed &#12;`,
    );
  });

  it("breaks a copied bridge marker, in code too", () => {
    const output = sanitizeGitHubText(`quoted:\n\n${MARKER}\n\n\`${MARKER}\``);
    expect(output).not.toContain("hf-bridge:link=");
    expect(output.replaceAll(ZWSP, "")).toBe(`quoted:\n\n${MARKER}\n\n\`${MARKER}\``);
  });

  it("only inserts zero-width spaces, is idempotent and leaves nothing live on mixed Markdown", () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        const once = sanitizeGitHubText(text);
        expect(once.replaceAll(ZWSP, "")).toBe(text.replaceAll(ZWSP, ""));
        expect(sanitizeGitHubText(once)).toBe(once);
        expect(liveOnHub(once)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  }, 120_000);
});
