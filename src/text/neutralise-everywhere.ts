import { ZERO_WIDTH_SPACE as ZWSP } from "./zero-width-space.ts";

/**
 * Bots that take commands in comments and match the raw body, code blocks included. The bridge's App
 * has write access, so its comments would pass their permission checks. Other `@names` in code stay
 * as they are (`@property` in a Python sample must still copy cleanly); prose mentions are handled
 * separately.
 */
const COMMAND_BOTS = [
  "all-contributors",
  "allcontributors",
  "bors",
  "claude",
  "codecov",
  "coderabbitai",
  "codex",
  "copilot",
  "dependabot",
  "gemini-code-assist",
  "github-actions",
  "k8s-ci-robot",
  "kodiakhq",
  "mergify",
  "mergifyio",
  "openshift-ci",
  "pre-commit-ci",
  "renovate",
  "renovate-bot",
  "rustbot",
  "sourcery-ai",
];
const BOT_COMMAND = new RegExp(
  `(?<![A-Za-z0-9_])@(?=(?:${COMMAND_BOTS.join("|")})(?![A-Za-z0-9-]))`,
  "gi",
);
/**
 * A `/word` at the start of a line, after any blank JavaScript's `trim()` would drop; JavaScript's `m`
 * flag also starts lines after \r, U+2028 and U+2029. Slash-command dispatchers read raw lines.
 */
const SLASH_COMMAND = /(^|[\n\r\u2028\u2029])([^\S\n\r\u2028\u2029]*)(?=\/\w)/g;
/** Must not survive anywhere, code included: the bridge's markers are HTML comments. */
const COMMENT_OPENER = /<(?=!--)/g;
const MARKER_PREFIX = /hf-bridge(?=:link=)/gi;

/** Neutralises what acts on the raw text regardless of Markdown: bot commands, slash commands, markers. */
export function neutraliseEverywhere(text: string): string {
  return text
    .replace(BOT_COMMAND, `@${ZWSP}`)
    .replace(SLASH_COMMAND, `$1$2${ZWSP}`)
    .replace(COMMENT_OPENER, `<${ZWSP}`)
    .replace(MARKER_PREFIX, `$&${ZWSP}`);
}
