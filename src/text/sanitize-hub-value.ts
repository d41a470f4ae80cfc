import type { HubValue, ValueContext } from "./hub-value.ts";
import { neutraliseEverywhere } from "./neutralise-everywhere.ts";
import { neutraliseMentionsAndReferences } from "./neutralise-mentions-and-references.ts";
import { percentEncode } from "./percent-encode.ts";
import { rehostGithubThreadLinks } from "./rehost-github-thread-links.ts";
import { sanitizeHubText } from "./sanitize-hub-text.ts";
import { ZERO_WIDTH_SPACE as ZWSP } from "./zero-width-space.ts";

/** Characters with a Markdown meaning anywhere in a line; a backslash makes each one literal. */
const INLINE_MARKUP = /[\\`*[\]<>&|~$]/g;
/** A `_` between letters or digits can neither open nor close emphasis (`BUILD_ERROR`), so it stays bare. */
const EMPHASIS_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
/** What starts a heading, a list or a setext underline when it opens a line (`>` is escaped anyway). */
const BLOCK_MARKER = /^[#+=-]/;
const ORDERED_LIST_MARKER = /^(\d+)([.)])/;
const HTML_SPECIAL: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#x27;",
};
/** Looks like a backtick, cannot delimit a code span. */
const BACKTICK_LOOKALIKE = "\u02CB";
/** A line that would close (or open) a code fence: up to three spaces, then three backticks or tildes. */
const FENCE_LINE = /^( {0,3})(?=`{3}|~{3})/gm;
/** Kept literal in a link; everything else is percent-encoded, so nothing can end the link early. */
const URL_CHARACTER = /[A-Za-z0-9\-._~:/?#&=+%,;!$*]/;
/** Kept literal when plain text becomes part of a link; `:`, `?` and `#` would change what it points at. */
const TEXT_IN_URL_CHARACTER = /[A-Za-z0-9\-._~/]/;
/** The digit right after a link's one `#`. */
const FRAGMENT_DIGIT = /(?<=#)\d/;
/** `GH-12` reads as a reference wherever a link does not form; `%2D` is the same `-` to a server. */
const GH_DASH = /(?<![A-Za-z0-9_])(GH)-(?=\d)/gi;

/**
 * `value` made safe for where it lands (`context`) in text the bridge writes on GitHub: it reads as
 * it was written, but cannot notify anyone, reference another thread, run a bot or slash command,
 * forge a marker, or change how the text around it parses (break out of a code span, a link, a table
 * cell or an HTML attribute). Bridge text is returned as it is.
 */
export function sanitizeHubValue(value: HubValue, context: ValueContext): string {
  if ("bridge" in value) return value.bridge;
  if ("hubMarkdown" in value) {
    return context === "block"
      ? sanitizeHubText(value.hubMarkdown)
      : text(value.hubMarkdown, context);
  }
  if ("hubUrl" in value) {
    const link = hubLink(value.hubUrl);
    if (link === undefined) return text(value.hubUrl, context);
    // In text, and in a bare link whose end a URL could move, it becomes an autolink of its own.
    if (context === "prose" || context === "block" || context === "literal-link")
      return `<${link}>`;
    return context === "html" ? htmlLink(link) : link;
  }
  return text(value.hubText, context);
}

function text(value: string, context: ValueContext): string {
  switch (context) {
    case "prose":
    case "block":
    // Text is no URL, so `<…>` around it is a tag or literal brackets; as prose it can be neither.
    case "autolink":
      return neutralise(escapeMarkdown(oneLine(value)));
    case "html":
      return neutraliseEverywhere(escapeHtml(neutraliseMentionsAndReferences(oneLine(value))));
    // Encoded, it holds no `@`, `#` or `GH-12`, so it stays inert even where the link does not form.
    case "url":
    case "literal-link":
      return percentEncode(value, TEXT_IN_URL_CHARACTER).replace(GH_DASH, "$1%2D");
    case "code-span":
      return neutralise(oneLine(value).replaceAll("`", BACKTICK_LOOKALIKE));
    case "fenced-code":
      return neutralise(
        withoutControls(value.replace(/\r\n?/g, "\n")).replace(FENCE_LINE, `$1${ZWSP}`),
      );
    case "title":
      return neutralise(oneLine(value));
  }
}

function neutralise(value: string): string {
  return neutraliseEverywhere(neutraliseMentionsAndReferences(value));
}

/** Line breaks would let a value start a block, a slash command or a new table row. */
function oneLine(value: string): string {
  return withoutControls(value.replace(/\s+/g, " ").trim());
}

function withoutControls(value: string): string {
  return value.replace(/(?![\n\t])\p{Cc}/gu, "");
}

function escapeMarkdown(value: string): string {
  return value
    .replace(INLINE_MARKUP, "\\$&")
    .replace(EMPHASIS_UNDERSCORE, "\\_")
    .replace(BLOCK_MARKER, "\\$&")
    .replace(ORDERED_LIST_MARKER, "$1\\$2");
}

/**
 * In HTML the fragment's `#` is an entity, so it still links but is no `#` in the source. A digit
 * after it is percent-encoded too (`#%365e…`; browsers decode a fragment before finding its
 * anchor): should another value break the tag around it, the entity decodes in text, and `#6` there
 * would be a live reference.
 */
function htmlLink(link: string): string {
  return escapeHtml(link)
    .replace(FRAGMENT_DIGIT, (digit) => `%${digit.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll("#", "&#x23;");
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_SPECIAL[character] ?? character);
}

/**
 * An http(s) URL as GitHub should link it: parsed and re-serialised, with one `#` at most, and every
 * character that could end a Markdown link, autolink or HTML attribute percent-encoded. Anything
 * else (no URL, another scheme) is undefined, and is shown as text instead.
 */
function hubLink(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
  const [base = "", ...fragment] = parsed.href.split("#");
  const href = fragment.length === 0 ? base : `${base}#${fragment.join("%23")}`;
  return rehostGithubThreadLinks(percentEncode(href, URL_CHARACTER)).replace(GH_DASH, "$1%2D");
}
