import { parseMarkdown } from "./parse-markdown.ts";
import { segmentMarkdown } from "./segment-markdown.ts";
import { ZERO_WIDTH_SPACE as ZWSP } from "./zero-width-space.ts";

/**
 * `@name` notifies the Hub user or organisation of that name, who is rarely the GitHub account the
 * writer meant. An `@` joined to a word character before it is an e-mail address and stays as it is.
 */
const MENTION = /(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])/g;
/** A second `@` in one word (`a@b.com@name`): the address before it is autolinked, the rest read as a mention. */
const AT_AFTER_ADDRESS = /(?<=@[^\s@]*)@(?=[A-Za-z0-9])/g;
/** Entities that render as `@` and would become a mention once rendered. */
const AT_ENTITY = /&(?:#0*64|#x0*40|commat);(?=[A-Za-z0-9])/gi;
/**
 * `#12` on the Hub links discussion #12 of the Hub repo, an unrelated thread: on GitHub it meant the
 * GitHub issue. Not inside an entity such as `&#12;`.
 */
const DISCUSSION_REF = /(?<!&)#(?=\d)/g;
const HASH_ENTITY = /&(?:#0*35|#x0*23|num);(?=\d)/gi;
/** The bridge's signed markers belong to GitHub issues; copied onto the Hub they would be public. */
const MARKER_PREFIX = /hf-bridge(?=:link=)/gi;

/**
 * Makes Markdown written on GitHub safe to post on the Hub under the bridge's account: no Hub mention
 * notifies anyone, no `#12` links an unrelated Hub discussion, no bridge marker is carried over.
 * Code spans, code blocks and link targets are kept as written (a `@decorator` in a sample still
 * copies cleanly, a URL still works), assuming the Hub, like GitHub, reads no mentions in them.
 * Idempotent: sanitising sanitised text changes nothing.
 */
export function sanitizeGitHubText(markdown: string): string {
  const prose = segmentMarkdown(markdown, parseMarkdown(markdown))
    .map(({ kind, start, end }) => {
      const text = markdown.slice(start, end);
      return kind === "prose" ? neutraliseHubProse(text) : text;
    })
    .join("");
  return prose.replace(MARKER_PREFIX, `$&${ZWSP}`);
}

function neutraliseHubProse(prose: string): string {
  return prose
    .replace(AT_ENTITY, `$&${ZWSP}`)
    .replace(HASH_ENTITY, `$&${ZWSP}`)
    .replace(MENTION, `@${ZWSP}`)
    .replace(AT_AFTER_ADDRESS, `@${ZWSP}`)
    .replace(DISCUSSION_REF, `#${ZWSP}`);
}
