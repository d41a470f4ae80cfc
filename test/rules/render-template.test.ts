import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CommentRef, DiscussionRef, RepoRef } from "../../src/events/bridge-event.ts";
import { truncateBody } from "../../src/github/truncate-body.ts";
import { commentBody } from "../../src/rules/comment-body.ts";
import { discussionIssueBody } from "../../src/rules/discussion-issue-body.ts";
import { discussionIssueTitle } from "../../src/rules/discussion-issue-title.ts";
import { renderTemplate } from "../../src/rules/render-template.ts";
import { githubMarkdown } from "../../src/text/github-markdown.ts";
import type { HubValue } from "../../src/text/hub-value.ts";
import { renderLinkMarker } from "../../src/text/link-marker.ts";
import { parseMarkdown } from "../../src/text/parse-markdown.ts";
import { findLiveEffects } from "../text/find-live-effects.ts";

const KEY = "render-template-marker-key";
const ZWSP = "\u200B";
const FOOTER_BREAKOUT = ") @octocat fixes acme/app#12";
const HUB = "https://huggingface.co/acme/model/discussions/3";
/** What a title can still do on GitHub: GitHub links references in titles; mentions are matched the same way. */
const LIVE_IN_TITLE = /(^|[^A-Za-z0-9_])@[A-Za-z0-9]|#\d|(^|[^A-Za-z0-9_])GH-\d/i;

const REPO: RepoRef = {
  id: "6366c000a2abcdf2fd69a080",
  name: "acme/model",
  type: "model",
  private: false,
  webUrl: "https://huggingface.co/acme/model",
};

function discussion(overrides: Partial<DiscussionRef> = {}): DiscussionRef {
  return {
    id: "d1",
    num: 3,
    title: "Hello",
    status: "open",
    isPullRequest: false,
    authorId: "61d2000c3c2083e1c08af22d",
    webUrl: HUB,
    ...overrides,
  };
}

function comment(overrides: Partial<CommentRef> = {}): CommentRef {
  return {
    id: "c1",
    authorId: "u1",
    content: "Thanks!",
    hidden: false,
    webUrl: `${HUB}#c1`,
    ...overrides,
  };
}

/** Link targets in the rendered Markdown, as GitHub will follow them. */
function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  const visit = (node: ReturnType<typeof parseMarkdown>["children"][number]): void => {
    if (node.type === "link") targets.push(node.url);
    if ("children" in node) for (const child of node.children) visit(child);
  };
  for (const node of parseMarkdown(markdown).children) visit(node);
  return targets;
}

describe("titles", () => {
  it("neither notify nor reference: `[Hub] First @bob #3` no longer reaches GitHub as is", () => {
    const title = discussionIssueTitle(
      "[Hub] {{title}}",
      REPO,
      discussion({ title: "First @bob #3" }),
    );
    expect(title).toBe(`[Hub] First @${ZWSP}bob #${ZWSP}3`);
    expect(title.replaceAll(ZWSP, "")).toBe("[Hub] First @bob #3");
  });

  it("stay on one line, so no slash command or second line reaches GitHub", () => {
    const title = discussionIssueTitle(
      "{{title}}",
      REPO,
      discussion({ title: "/approve\n/merge now" }),
    );
    expect(title).toBe(`${ZWSP}/approve /merge now`);
  });

  it("do not let the template's `#` or `repo#` turn the Hub number into a reference", () => {
    const title = discussionIssueTitle("{{repo}}#{{num}} (#{{num}})", REPO, discussion());
    expect(title).toBe(`acme/model#${ZWSP}3 (#${ZWSP}3)`);
    expect(LIVE_IN_TITLE.test(title)).toBe(false);
  });

  it("cannot carry a marker or a bot command", () => {
    const forged = renderLinkMarker("hub-discussion:x:1", KEY);
    const title = discussionIssueTitle(
      "{{title}}",
      REPO,
      discussion({ title: `@dependabot merge ${forged}` }),
    );
    expect(title).not.toContain("<!--");
    expect(title).toContain(`@${ZWSP}dependabot`);
  });
});

describe("the default footer", () => {
  it("keeps a Hub URL holding `) @octocat fixes acme/app#12` inside one working link", () => {
    const body = discussionIssueBody(
      undefined,
      REPO,
      discussion({ webUrl: `${HUB}${FOOTER_BREAKOUT}` }),
      comment(),
    );
    expect(findLiveEffects(body, KEY)).toEqual([]);
    expect(linkTargets(body)).toEqual([`${HUB}%29%20%40octocat%20fixes%20acme/app#12`]);
  });

  it("keeps a Hub URL holding a newline and `/approve` from starting a command line", () => {
    const body = discussionIssueBody(
      undefined,
      REPO,
      discussion({ webUrl: `${HUB}\n/approve` }),
      comment(),
    );
    expect(findLiveEffects(body, KEY)).toEqual([]);
    expect(linkTargets(body)).toEqual([`${HUB}/approve`]);
  });

  it("keeps an author id inside its code span, whatever backticks, mentions and lines it holds", () => {
    for (const authorId of [FOOTER_BREAKOUT, "a` @octocat `b", "x\n/approve", "`` @octocat ``"]) {
      const body = discussionIssueBody(undefined, REPO, discussion({ authorId }), comment());
      expect(findLiveEffects(body, KEY), authorId).toEqual([]);
      const author = body.split("\n").find((line) => line.startsWith("- Author:")) ?? "";
      // One code span holding the whole id: the backticks are the template's two.
      expect(author.match(/`/g), authorId).toHaveLength(2);
    }
  });

  it("shows a base ref with backticks and a mention as code, not as a live mention", () => {
    const pr = discussion({ isPullRequest: true, baseRef: "refs/heads/x` @octocat `" });
    const body = discussionIssueBody(undefined, REPO, pr, comment());
    expect(findLiveEffects(body, KEY)).toEqual([]);
  });

  it("refuses an unknown placeholder with the template and the allowed names", () => {
    expect(() => discussionIssueBody("{{nope}}", REPO, discussion(), comment())).toThrow(
      'discussions.bodyTemplate "{{nope}}" uses unknown placeholder {{nope}}; use one of {{title}}',
    );
  });
});

describe("comment bodies", () => {
  it("keep the comment's Markdown when it stands as a block of its own", () => {
    const content = "Try:\n\n```python\n@property\ndef x(self): ...\n```";
    expect(commentBody(undefined, REPO, discussion(), comment({ content }))).toContain(content);
  });

  it("show the comment as plain text on one line where it does not stand alone, so its code cannot turn live", () => {
    // Parsed alone, `@x` sits in a fence; after "Re: " the fence no longer opens and `@x` would be prose.
    const content = "```\n@x\n```";
    for (const template of [
      "Re: {{content}}",
      "Wrote:\n{{content}}",
      "- {{content}}",
      "  {{content}}",
    ]) {
      const body = commentBody(template, REPO, discussion(), comment({ content }));
      expect(findLiveEffects(body, KEY), template).toEqual([]);
      expect(body.replaceAll(ZWSP, "").replaceAll("\\", ""), template).toContain("``` @x ```");
    }
  });

  it("link the comment author's page, not a breakout, from a hostile comment URL", () => {
    const body = commentBody(
      undefined,
      REPO,
      discussion(),
      comment({ webUrl: `${HUB}#c1${FOOTER_BREAKOUT}` }),
    );
    expect(findLiveEffects(body, KEY)).toEqual([]);
    expect(linkTargets(body)).toEqual([`${HUB}#c1%29%20%40octocat%20fixes%20acme/app%2312`]);
  });
});

describe("renderTemplate and githubMarkdown put each value in its place", () => {
  const title = { hubText: 'Say "hi" | to @octocat <b>#4</b>' };

  it("escapes a title in prose, so it shows as written and formats nothing", () => {
    const out = renderTemplate("**{{title}}**", { title }, "test", "markdown");
    expect(out).toBe(`**Say "hi" \\| to @${ZWSP}octocat \\<b\\>#${ZWSP}4\\</b\\>**`);
    expect(findLiveEffects(out, KEY)).toEqual([]);
  });

  it("keeps a table row one row", () => {
    const out = githubMarkdown`| a | b |\n| - | - |\n| ${title} | x |`;
    const table = parseMarkdown(out).children[0];
    expect(table?.type === "table" && table.children[1]?.children).toHaveLength(2);
  });

  it("escapes a value inside an HTML attribute so it cannot close the attribute", () => {
    const out = githubMarkdown`<a title="${title}">x</a>`;
    expect(out).toBe(
      `<a title="Say &quot;hi&quot; | to @${ZWSP}octocat &lt;b&gt;#${ZWSP}4&lt;/b&gt;">x</a>`,
    );
  });

  it("makes a Hub URL an autolink in prose and keeps it whole in `<…>` and in HTML", () => {
    const url = { hubUrl: `${HUB}${FOOTER_BREAKOUT}` };
    const encoded = `${HUB}%29%20%40octocat%20fixes%20acme/app#12`;
    expect(githubMarkdown`See ${url} now`).toBe(`See <${encoded}> now`);
    expect(githubMarkdown`See <${url}>`).toBe(`See <${encoded}>`);
    expect(githubMarkdown`<a href="${url}">x</a>`).toBe(
      `<a href="${encoded.replace("#1", "&#x23;%31")}">x</a>`,
    );
    expect(githubMarkdown`[x](${url})`).toBe(`[x](${encoded})`);
  });

  it("shows a link that is not http(s) as text, never as a link", () => {
    const out = githubMarkdown`[x](${{ hubUrl: "javascript:alert(1)" }}) and ${{ hubUrl: "javascript:alert(2)" }}`;
    expect(out).toBe("[x](javascript%3Aalert%281%29) and javascript:alert(2)");
  });

  it("percent-encodes plain text that lands in a link, so it cannot end the link or change its host", () => {
    const out = githubMarkdown`[x](https://huggingface.co/${{ hubText: "a b)/c?d#1" }})`;
    expect(linkTargets(out)).toEqual(["https://huggingface.co/a%20b%29/c%3Fd%231"]);
  });

  it("keeps a multi-line value inside a fenced block: no line of it closes the fence", () => {
    const error = { hubText: "line 1\n```\n@dependabot merge\n/approve" };
    const out = githubMarkdown`\`\`\`text\n${error}\n\`\`\`\n\nafter @${{ hubText: "x" }}`;
    const [code, after] = parseMarkdown(out).children;
    expect(code?.type === "code" && code.value).toBe(
      `line 1\n${ZWSP}\`\`\`\n@${ZWSP}dependabot merge\n${ZWSP}/approve`,
    );
    expect(after?.type).toBe("paragraph");
    expect(findLiveEffects(out, KEY)).toEqual([]);
  });

  it("does not let `@`, `#` or `GH-` in the text around a value complete a mention or reference", () => {
    const name = { hubText: "octocat" };
    const num = { hubText: "12" };
    expect(githubMarkdown`cc @${name}, see #${num} and GH-${num}`).toBe(
      `cc @${ZWSP}octocat, see #${ZWSP}12 and GH-${ZWSP}12`,
    );
    expect(githubMarkdown`${{ hubText: "acme/app#" }}12`).toBe(`acme/app#${ZWSP}12`);
  });

  it("leaves bridge text as it is", () => {
    const bridge: HubValue = { bridge: "**bold** @team" };
    expect(githubMarkdown`${bridge}`).toBe("**bold** @team");
  });
});

describe("the truncation notice", () => {
  it("links a hostile source URL as one autolink", () => {
    const out = truncateBody("x".repeat(500), {
      marker: renderLinkMarker("hub-comment:c1", KEY),
      maxChars: 400,
      sourceUrl: `${HUB}\n/approve${FOOTER_BREAKOUT}`,
    });
    expect(out).toContain(
      `…truncated: the full text is on the Hub: <${HUB}/approve%29%20%40octocat%20fixes%20acme/app#12>`,
    );
    expect(findLiveEffects(out.slice(0, out.lastIndexOf("\n\n")), KEY)).toEqual([]);
  });
});

describe("any template with any Hub values", () => {
  /** Template text with no live effect of its own; an opener below only ever comes right before a value. */
  const TEMPLATE_TEXT = [
    "",
    " ",
    "\n",
    "\n\n",
    "`",
    "``",
    "```\n",
    "\n```\n",
    "[",
    "](",
    ")",
    "<",
    ">",
    '<a href="',
    '">',
    "| ",
    " |",
    "- ",
    "> ",
    "**",
    "_",
    " text ",
    "https://huggingface.co/",
    "<https://huggingface.co/",
    "www.",
    "\n    ",
    "<div>\n",
    "~~~\n",
    "1. ",
    "# ",
  ];
  const HOSTILE = [
    "@octocat",
    "#12",
    "acme/app#12",
    "GH-3",
    "/approve",
    "\n/approve",
    "@dependabot merge",
    FOOTER_BREAKOUT,
    "`",
    "```",
    "```\n@x\n```",
    "    @x",
    "<!--",
    "-->",
    "</details>",
    "<pre>",
    '"',
    "|",
    "[x](y)",
    "]",
    ")",
    "\\",
    "&#64;x",
    "https://github.com/acme/app/issues/1",
    renderLinkMarker("hub-discussion:x:1", KEY),
    "\u2028/merge",
    "\r/lgtm",
  ];
  const hostileText = fc
    .array(fc.constantFrom(...HOSTILE, " ", "a", "1"), { maxLength: 6 })
    .map((pieces) => pieces.join(""));
  const value: fc.Arbitrary<HubValue> = fc.oneof(
    hostileText.map((text) => ({ hubText: text })),
    hostileText.map((text) => ({ hubUrl: `${HUB}${text}` })),
    hostileText.map((text) => ({ hubUrl: text })),
    hostileText.map((text) => ({ hubMarkdown: text })),
  );
  const template = fc.array(
    fc.tuple(
      fc.array(fc.constantFrom(...TEMPLATE_TEXT), { maxLength: 4 }),
      fc.constantFrom("a", "b", "c"),
    ),
    { maxLength: 5 },
  );

  it("leaves nothing live in the rendered Markdown but what the template wrote", () => {
    fc.assert(
      fc.property(template, fc.record({ a: value, b: value, c: value }), (pieces, values) => {
        const text = pieces.map(([before, name]) => `${before.join("")}{{${name}}}`).join("");
        const out = renderTemplate(text, values, "test", "markdown");
        // An open fence or block the template leaves is the template's layout, not a value's doing.
        expect(
          findLiveEffects(out, KEY).filter((found) => found !== "swallows what follows"),
        ).toEqual([]);
      }),
      { numRuns: 500 },
    );
  }, 120_000);

  it("keeps an empty value at a line's start from letting the template open an HTML block there", () => {
    // The counterexample fast-check found (seed -1742209330): with {{a}} empty, `<div>` opened the line,
    // the line became an HTML block, and the link after it was read as text: `acme/app#12` went live.
    const out = renderTemplate(
      "{{a}}<div>\n{{a}}{{b}}",
      {
        a: { hubUrl: "" },
        b: { hubUrl: "https://huggingface.co/acme/model/discussions/3acme/app#12" },
      },
      "test",
      "markdown",
    );
    expect(findLiveEffects(out, KEY).filter((found) => found !== "swallows what follows")).toEqual(
      [],
    );
  });

  it("keeps a Markdown value after a list or footnote from being taken into it", () => {
    // The counterexample fast-check found (seed -791783349): "    @x" alone is indented code, kept as
    // written; after a list item its indented lines continue the item instead, and @x went live.
    for (const before of ["- \n", "- a\n\n", "1. a\n\n", "[^1]: note\n\n"]) {
      for (const markdown of ["    @x", "   ```\n@x\n   ```", "  @x"]) {
        const out = renderTemplate(
          `${before}{{b}}`,
          { b: { hubMarkdown: markdown } },
          "test",
          "markdown",
        );
        expect(
          findLiveEffects(out, KEY).filter((found) => found !== "swallows what follows"),
          JSON.stringify(out),
        ).toEqual([]);
      }
    }
  });

  it("keeps an @ in a value from starting a mention after an e-mail address the template text completes", () => {
    // The counterexample fast-check found (seed -1867822653): GFM autolinked `a@octocatwww.a` across
    // the template's `www.` and read the second value's `@octocat` after the link as a mention.
    for (const template of ["{{c}}www.{{c}}", "{{c}}.{{c}}", "a@b{{c}}"]) {
      const out = renderTemplate(template, { c: { hubText: "a@octocat" } }, "test", "markdown");
      expect(findLiveEffects(out, KEY), JSON.stringify(out)).toEqual([]);
      expect(out.replaceAll(ZWSP, "")).toBe(template.replaceAll("{{c}}", "a@octocat"));
    }
  });

  it("keeps a link's fragment from reading as a reference where another value breaks the HTML tag it is in", () => {
    // The counterexample fast-check found (seed 941110888): `<{{c}}{{a}}>` is a tag until the `@` of
    // c ends it; the text that remains decodes the link's `&#x23;` entity, and `#64` went live.
    for (const url of [`${HUB}&#64;x`, `${HUB}#12`, `${HUB}#65e8c1`]) {
      const out = renderTemplate(
        "<{{c}}{{a}}>",
        { c: { hubMarkdown: "@octocat" }, a: { hubUrl: url } },
        "test",
        "markdown",
      );
      expect(findLiveEffects(out, KEY), JSON.stringify(out)).toEqual([]);
    }
  });

  it("still links to a fragment from an HTML attribute, its first digit percent-encoded", () => {
    const out = renderTemplate(
      '<a href="{{a}}">x</a>',
      { a: { hubUrl: `${HUB}#65e8c1` } },
      "test",
      "markdown",
    );
    expect(out).toBe(`<a href="${HUB}&#x23;%365e8c1">x</a>`);
    const href = new URL(out.slice('<a href="'.length, out.indexOf('">')).replace("&#x23;", "#"));
    // Browsers percent-decode a fragment before looking up its anchor.
    expect(decodeURIComponent(href.hash)).toBe("#65e8c1");
    expect(`${href.origin}${href.pathname}`).toBe(HUB);
  });

  it("keeps a value at a line's start in a code span from opening a block that ends the span", () => {
    // The counterexample fast-check found (seed -1729918134): in ``~~~\n{{a}}{{b}}``, the text
    // `</details>` started an HTML block on its line, so the span never closed and b's link was bare.
    for (const [template, values] of [
      ["``~~~\n{{a}}{{b}}``{{a}}", { a: { hubText: "</details>" }, b: { hubUrl: `${HUB}&#64;x` } }],
      ["``x\n{{a}}{{b}}``", { a: { hubText: "<div>" }, b: { hubUrl: `${HUB}#12` } }],
      ["``x\n   {{a}}{{b}}``", { a: { hubMarkdown: "</pre>" }, b: { hubUrl: `${HUB}#12` } }],
    ] as const) {
      const out = renderTemplate(template, values, "test", "markdown");
      expect(findLiveEffects(out, KEY), JSON.stringify(out)).toEqual([]);
      expect(parseMarkdown(out).children).toHaveLength(1);
    }
  });

  it("leaves nothing live in a title", () => {
    fc.assert(
      fc.property(hostileText, (title) => {
        const out = discussionIssueTitle("[Hub] {{title}} #{{num}}", REPO, discussion({ title }));
        expect(LIVE_IN_TITLE.test(out)).toBe(false);
        expect(out).not.toMatch(/[\n\r\u2028\u2029]|<!--/);
      }),
      { numRuns: 300 },
    );
  });
});
