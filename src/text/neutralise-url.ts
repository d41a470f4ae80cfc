import { rehostGithubThreadLinks } from "./rehost-github-thread-links.ts";

/** An `@` that would read as a mention if the URL were ever shown as text; e-mail `@`s follow a word character. */
const MENTION_AT = /(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])/g;

/**
 * Link targets stay working URLs: GitHub thread links are rehosted so they do not cross-reference,
 * a mention-like `@` is percent-encoded (same URL to servers), and `#` fragments are left alone.
 */
export function neutraliseUrl(url: string): string {
  return rehostGithubThreadLinks(url).replace(MENTION_AT, "%40");
}
