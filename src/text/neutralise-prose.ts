import { neutraliseMentionsAndReferences } from "./neutralise-mentions-and-references.ts";
import { ZERO_WIDTH_SPACE as ZWSP } from "./zero-width-space.ts";

/** Entities that render as `@` or `#` (decimal ones are hex by then) would become mentions and references. */
const AT_ENTITY = /&(?:#x0*40|commat);(?=[A-Za-z0-9])/gi;
const HASH_ENTITY = /&(?:#x0*23|num);(?=\d)/gi;
/** CommonMark decodes 1–7 digit references; in hex they render the same but hold no `#` + digit. */
const DECIMAL_ENTITY = /&#(\d{1,7});/g;
/** HTML that opens a comment, declaration or processing instruction, or the bridge's container. */
const HTML_BREAKOUT = /<(?=[!?])|<(?=\/?details(?:[\s/>]|$))/gi;
const COMMENT_CLOSER = /--(?=!?>)/g;

/**
 * Neutralises, in text GitHub renders as Markdown or HTML (not code, not a link), everything that
 * would notify someone, cross-reference another thread or escape the bridge's layout.
 */
export function neutraliseProse(prose: string): string {
  return neutraliseMentionsAndReferences(
    prose
      .replace(DECIMAL_ENTITY, (_entity, digits: string) => `&#x${Number(digits).toString(16)};`)
      .replace(AT_ENTITY, `$&${ZWSP}`)
      .replace(HASH_ENTITY, `$&${ZWSP}`),
  )
    .replace(HTML_BREAKOUT, `<${ZWSP}`)
    .replace(COMMENT_CLOSER, `--${ZWSP}`);
}
