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
/** Any `#` + digit, including one in an escaped or over-long `&#…;` that renders as text. */
const ISSUE_REF = /#(?=\d)/g;
const GH_REF = /(?<![A-Za-z0-9_])GH-(?=\d)/gi;

/**
 * Breaks every `@name` mention and `#12`, `owner/repo#12` or `GH-12` reference in text GitHub reads
 * them in, and points GitHub thread links at a host that does not cross-reference. The text reads
 * the same: only zero-width spaces and a `%40` inside URLs are added.
 */
export function neutraliseMentionsAndReferences(text: string): string {
  return rehostGithubThreadLinks(text)
    .replace(AT_IN_URL, "%40")
    .replace(MENTION, `@${ZWSP}`)
    .replace(AT_AFTER_ADDRESS, `@${ZWSP}`)
    .replace(GH_REF, `$&${ZWSP}`)
    .replace(ISSUE_REF, `#${ZWSP}`);
}
