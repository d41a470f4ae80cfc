/**
 * Letters, digits, spaces, newlines and punctuation that starts no code, link, image, definition or
 * HTML in CommonMark + GFM: no backtick or tilde (code), no `[` or `<` (links, images, definitions,
 * HTML), no `@` (e-mail autolinks), no backslash, ampersand or tab.
 */
const PROSE_CHARACTERS = /^[\p{L}\p{N} \n.,!?'"()\-:;#/%+=*_|]*$/u;
/** Four spaces can make indented code; `://` and `www` can make GFM autolink literals. */
const CODE_OR_LINK_OPENERS = / {4}|:\/\/|www/i;

/**
 * Whether `markdown` is prose to GitHub from end to end, as `segmentMarkdown` would find it, and
 * leaves no block open: then it needs no parse (the parse is most of a short value's sanitising).
 * False only means "parse it"; test/text/parses-as-prose.test.ts holds it to the parser's answer.
 */
export function parsesAsProse(markdown: string): boolean {
  return PROSE_CHARACTERS.test(markdown) && !CODE_OR_LINK_OPENERS.test(markdown);
}
