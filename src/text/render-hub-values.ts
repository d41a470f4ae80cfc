import { findValueContexts, type ValueSlot } from "./find-value-contexts.ts";
import type { HubValue, ValueContext } from "./hub-value.ts";
import { sanitizeHubValue } from "./sanitize-hub-value.ts";
import { ZERO_WIDTH_SPACE as ZWSP } from "./zero-width-space.ts";

/**
 * Letters only, so a slot can only be a word, a link target or code until its value replaces it; and
 * longer than a URI scheme may be (32), so `<{{value}}…:…>` is never taken for an autolink.
 */
const SLOT_PREFIX = "hfbridgevalueslotlongerthananyurischeme";
/** Text after which a value starting with a letter or digit would complete a mention or reference. */
const MENTION_OR_REFERENCE_OPENER = /(?:[@#]|GH-)$/i;
const WORD_START = /^[A-Za-z0-9]/;
/** Text ending in a word with an `@`: what follows without a space may end an e-mail autolink. */
const OPEN_ADDRESS = /@[^\s@]*$/;
/** An `@` in a value's first word, before any space: after an open address it would start a mention. */
const AT_IN_FIRST_WORD = /^([^\s@]*)@(?=[A-Za-z0-9])/;
/** Where a line begins (up to its indent): a block that interrupts a paragraph may start here. */
const LINE_START = /(?:^|[\n\r])[ \t]*$/;
/** Only a letter can open a line without starting a block (`#`, `>`, `-`, `1.`, `</div>`, `~~~`). */
const LETTER_FIRST = /^\p{L}/u;
/** In links, `#12` is a fragment and `@` is encoded; nothing there needs breaking. */
const LINK_CONTEXTS: ReadonlySet<ValueContext> = new Set(["url", "literal-link"]);
/**
 * Where each value lands depends on the parts alone (the bridge's templates and the config's), so
 * each distinct template is parsed once, not once per job: parsing was half a dry-run job's CPU.
 * A cache of a pure function, not state; bounded, since a config could in principle hold many.
 */
const MAX_CACHED_TEMPLATES = 512;
const templateContexts = new Map<string, readonly ValueContext[]>();

/**
 * Joins `parts` (the bridge's or the config's text) with `values` between them (`parts.length` is
 * one more), each value sanitised for the place it lands in: for `markdown`, the parts are parsed
 * with a placeholder in each value's place to find that place; a `title` is plain text throughout.
 * A value may not complete a mention or reference the text around it starts (`#{{num}}`).
 */
export function renderHubValues(
  parts: readonly string[],
  values: readonly HubValue[],
  target: "markdown" | "title",
): string {
  if (parts.length !== values.length + 1) {
    throw new Error(
      `renderHubValues got ${parts.length} parts for ${values.length} values; pass one more part than values`,
    );
  }
  const contexts: ValueContext[] =
    target === "title" ? values.map(() => "title") : [...contextsOf(parts)];
  let rendered = parts[0] ?? "";
  values.forEach((value, index) => {
    const context = contexts[index] ?? "prose";
    const after = parts[index + 1] ?? "";
    let text = sanitizeHubValue(value, context);
    if (!("bridge" in value) && !LINK_CONTEXTS.has(context)) {
      // An empty value at a line's start would let the template text after it open the line, and so
      // start a block (`<div>`, a heading) that the template, parsed with a value there, never had.
      if (text === "" && (rendered === "" || rendered.endsWith("\n"))) text = ZWSP;
      if (MENTION_OR_REFERENCE_OPENER.test(rendered) && WORD_START.test(text)) text = ZWSP + text;
      if (MENTION_OR_REFERENCE_OPENER.test(text) && WORD_START.test(after)) text += ZWSP;
      // `a@b` + `www.` + `a@c`: GFM autolinks `a@bwww.a` and reads the `@c` after it as a mention.
      if (OPEN_ADDRESS.test(rendered)) text = text.replace(AT_IN_FIRST_WORD, `$1@${ZWSP}`);
      // A code span may go on over lines of one paragraph; a value that opened a block at a line's
      // start (`</details>`, `# x`) would end the paragraph, and the span with it, exposing the rest.
      if (context === "code-span" && LINE_START.test(rendered) && !LETTER_FIRST.test(text))
        text = ZWSP + text;
    }
    rendered += text + after;
  });
  return rendered;
}

function contextsOf(parts: readonly string[]): readonly ValueContext[] {
  const [text, slots] = withSlots(parts);
  let contexts = templateContexts.get(text);
  if (contexts === undefined) {
    contexts = findValueContexts(text, slots);
    if (templateContexts.size >= MAX_CACHED_TEMPLATES) templateContexts.clear();
    templateContexts.set(text, contexts);
  }
  return contexts;
}

function withSlots(parts: readonly string[]): [string, ValueSlot[]] {
  let text = parts[0] ?? "";
  const slots: ValueSlot[] = [];
  for (let index = 1; index < parts.length; index++) {
    const slot = `${SLOT_PREFIX}${toLetters(index - 1)}`;
    slots.push({ start: text.length, end: text.length + slot.length });
    text += slot + parts[index];
  }
  return [text, slots];
}

/** 0 → "a", 25 → "z", 26 → "ba": a slot name holds no digit. */
function toLetters(index: number): string {
  return index
    .toString(26)
    .split("")
    .map((digit) => String.fromCharCode(97 + Number.parseInt(digit, 26)))
    .join("");
}
