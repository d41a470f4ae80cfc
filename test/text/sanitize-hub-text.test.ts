import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderLinkMarker } from "../../src/text/link-marker.ts";
import { sanitizeHubText } from "../../src/text/sanitize-hub-text.ts";
import { findLiveEffects } from "./find-live-effects.ts";

const KEY = "test-marker-secret";
const SIGNED_MARKER = renderLinkMarker("hub-discussion:acme/app:7", KEY);
const ZWSP = "\u200B";

/** Pieces real Hub text is made of, plus the ones an attacker would try. */
const FRAGMENTS = [
  "@octocat",
  "@acme/reviewers",
  "acme/app#12",
  "#7",
  "GH-3",
  "/approve",
  "/lgtm",
  "/merge",
  "@dependabot merge",
  "@mergifyio queue",
  "@renovate rebase",
  "user@example.com",
  "```",
  "````",
  "~~~",
  "```python",
  "`",
  "``",
  "<!--",
  "-->",
  "--!>",
  "<details>",
  "</details>",
  "<summary>s</summary>",
  "<pre>",
  "<script>",
  "<![CDATA[",
  "<?php",
  "<!DOCTYPE",
  "https://github.com/acme/app/issues/1",
  "https://github.com/acme/app/pull/2#issuecomment-3",
  "https://medium.com/@writer/post",
  "www.example.com/@x#4",
  "[@octocat](https://example.com/@octocat)",
  "![#5](https://example.com/a.png)",
  "[ref]: https://example.com/#6",
  "&#64;octocat",
  "&#35;8",
  "&commat;x",
  "&#99999999;",
  "\\&#123;",
  SIGNED_MARKER,
  "hf-bridge:link=hub-discussion:acme/app:7",
  "> ",
  "- ",
  "1. ",
  "    ",
  "\t",
  "| a | b |\n| - | - |\n",
  "*",
  "_",
  "\\",
  "[",
  "](",
  ")",
  "<",
  ">",
  "!",
  "&",
  "#",
  "@",
  "-",
  "\u00A0",
  "\uFEFF",
  "\u2028",
  "\r",
  "\r\n",
];
const SEPARATORS = ["", " ", "\n", "\n\n", "\n    "];

const markdownish = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
        { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
      ),
      fc.constantFrom(...SEPARATORS),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.map(([fragment, separator]) => fragment + separator).join(""));

describe("sanitizeHubText", () => {
  // Property runs parse Markdown several times each; a generous timeout keeps a loaded machine from
  // failing them, and is no assertion about speed.
  const PROPERTY_TIMEOUT_MS = 120_000;

  it(
    "is idempotent and leaves nothing live on Markdown mixing mentions, references, commands, fences, comments and a signed marker",
    () => {
      fc.assert(
        fc.property(markdownish, (text) => {
          const once = sanitizeHubText(text);
          expect(sanitizeHubText(once)).toBe(once);
          expect(findLiveEffects(once, KEY)).toEqual([]);
        }),
        { numRuns: 600 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "is idempotent and leaves nothing live on arbitrary strings",
    () => {
      fc.assert(
        fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
          const once = sanitizeHubText(text);
          expect(sanitizeHubText(once)).toBe(once);
          expect(findLiveEffects(once, KEY)).toEqual([]);
        }),
        { numRuns: 400 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it("removes the effects of a mention, a cross-reference, a slash command and a copied marker", () => {
    const input = `Thanks @octocat, this fixes acme/app#12.\n/approve\n${SIGNED_MARKER}`;
    expect(findLiveEffects(input, KEY).length).toBeGreaterThanOrEqual(4);
    const output = sanitizeHubText(input);
    expect(findLiveEffects(output, KEY)).toEqual([]);
    expect(output).toBe(
      `Thanks @${ZWSP}octocat, this fixes acme/app#${ZWSP}12.\n${ZWSP}/approve\n` +
        `<${ZWSP}!-- hf-bridge${ZWSP}:link=hub-discussion:acme/app:7;${SIGNED_MARKER.split(";")[1]?.replace("-->", `--${ZWSP}>`)}`,
    );
  });

  it("reads the same once the zero-width spaces are removed", () => {
    const input = "Ping @org/team about #3 and GH-4; /lgtm is not a command mid-line.";
    expect(sanitizeHubText(input).replaceAll(ZWSP, "")).toBe(input);
  });

  it("keeps e-mail addresses as written", () => {
    const input = "Write to jane.doe@example.com or ops-team@hf.co, not @jane.";
    expect(sanitizeHubText(input)).toBe(
      `Write to jane.doe@example.com or ops-team@hf.co, not @${ZWSP}jane.`,
    );
  });

  it("breaks a mention glued to an e-mail address, which GitHub reads after autolinking the address", () => {
    // Found by the property test below (counterexample "<![CDATA[user@example.com@octocat").
    for (const input of ["user@example.com@octocat", "<![CDATA[user@example.com@octocat"]) {
      const output = sanitizeHubText(input);
      expect(output).toContain(`@${ZWSP}octocat`);
      expect(findLiveEffects(output, KEY)).toEqual([]);
    }
  });

  it("keeps code spans and code blocks as written", () => {
    const input =
      "Use `@torch.no_grad()` and `#include`:\n\n```python\n@property\ndef x(self): ...\n```\n";
    expect(sanitizeHubText(input)).toBe(input);
  });

  it("neutralises bot commands and slash commands even inside code, where bots still read them", () => {
    const output = sanitizeHubText("```\n@dependabot merge\n/approve\n```");
    expect(output).toBe(`\`\`\`\n@${ZWSP}dependabot merge\n${ZWSP}/approve\n\`\`\``);
  });

  it("rewrites GitHub issue and PR links to a host that does not cross-reference", () => {
    expect(
      sanitizeHubText(
        "See https://github.com/acme/app/pull/9 and [it](https://www.github.com/acme/app/issues/8).",
      ),
    ).toBe(
      "See https://redirect.github.com/acme/app/pull/9 and [it](https://redirect.github.com/acme/app/issues/8).",
    );
    expect(sanitizeHubText("Repo: https://github.com/acme/app")).toBe(
      "Repo: https://github.com/acme/app",
    );
  });

  it("keeps links working: a mention-like @ is percent-encoded and fragments stay", () => {
    expect(sanitizeHubText("Read https://medium.com/@writer/post#12 now")).toBe(
      "Read https://medium.com/%40writer/post#12 now",
    );
  });

  it("neutralises entities that render as @ or #", () => {
    const output = sanitizeHubText("&#64;octocat &commat;x &#35;8 &#99999999;");
    expect(findLiveEffects(output, KEY)).toEqual([]);
    expect(output).toBe(`&#x40;${ZWSP}octocat &commat;${ZWSP}x &#x23;${ZWSP}8 &#${ZWSP}99999999;`);
  });

  it("stops HTML comments and <details> from hiding or closing the bridge's layout", () => {
    const output = sanitizeHubText("before <!-- hidden\n\n</details>\n<details>");
    expect(output).toBe(`before <${ZWSP}!-- hidden\n\n<${ZWSP}/details>\n<${ZWSP}details>`);
  });

  it("sanitises again when neutralising an HTML tag frees a backtick and ends a code span", () => {
    const output = sanitizeHubText('a <details title="`"> @x `code @y`');
    expect(output).toBe(`a <${ZWSP}details title="\`"> @${ZWSP}x \`code @${ZWSP}y\``);
    expect(findLiveEffects(output, KEY)).toEqual([]);
    expect(sanitizeHubText(output)).toBe(output);
  });

  it("closes a code fence left open, so what the bridge appends is not swallowed", () => {
    expect(sanitizeHubText("text\n\n````js\nconst a = 1;")).toBe(
      "text\n\n````js\nconst a = 1;\n````",
    );
    expect(sanitizeHubText("<pre>\nraw")).toBe("<pre>\nraw\n</pre>");
  });

  it("treats lines after CR, U+2028 and invisible blanks as line starts for slash commands", () => {
    const output = sanitizeHubText("a\r/approve\u2028/merge\n\uFEFF\u00A0/lgtm");
    expect(output).toBe(`a\r${ZWSP}/approve\u2028${ZWSP}/merge\n\uFEFF\u00A0${ZWSP}/lgtm`);
  });
});
