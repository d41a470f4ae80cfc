/**
 * Inserted to break a token GitHub or a bot would act on (`@user`, `#12`, `/approve`, `<!--`) while the
 * text still reads the same. Renovate and Dependabot neutralise mentions this way; unlike wrapping in
 * backticks it works in any context (link text, tables, code) and cannot change how the Markdown parses.
 */
export const ZERO_WIDTH_SPACE = "\u200B";
