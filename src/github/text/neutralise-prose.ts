import { rehostGithubThreadLinks } from "./rehost-github-thread-links.ts";
import { ZERO_WIDTH_SPACE as ZWSP } from "./zero-width-space.ts";

/** An `@` inside URL-looking text (say an `href` in raw HTML) is percent-encoded so the URL keeps working. */
const AT_IN_URL = /(?<=(?<![\w.-])(?:https?:\/\/|www\.)[^\s<>"'`]*)@/gi;
/** GitHub (Ruby) treats only ASCII word characters as joining `@` to what precedes, as in an e-mail. */
const MENTION = /(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])/g;
/**
 * A second `@` in one word (`a@b.com@octocat`): GFM autolinks the e-mail before it, and GitHub then
 * reads the `@name` after the link as a mention, though a word character precedes it in the source.
 */
const AT_AFTER_ADDRESS = /(?<=@[^\s@]*)@(?=[A-Za-z0-9])/g;
/** Any other `#` + digit, including one in an escaped or over-long `&#…;` that renders as text. */
const ISSUE_REF = /#(?=\d)/g;
const GH_REF = /(?<![A-Za-z0-9_])GH-(?=\d)/gi;
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
  return rehostGithubThreadLinks(prose)
    .replace(AT_IN_URL, "%40")
    .replace(DECIMAL_ENTITY, (_entity, digits: string) => `&#x${Number(digits).toString(16)};`)
    .replace(AT_ENTITY, `$&${ZWSP}`)
    .replace(HASH_ENTITY, `$&${ZWSP}`)
    .replace(MENTION, `@${ZWSP}`)
    .replace(AT_AFTER_ADDRESS, `@${ZWSP}`)
    .replace(GH_REF, `$&${ZWSP}`)
    .replace(ISSUE_REF, `#${ZWSP}`)
    .replace(HTML_BREAKOUT, `<${ZWSP}`)
    .replace(COMMENT_CLOSER, `--${ZWSP}`);
}
