/**
 * API text made safe for one Markdown table cell or line: no line breaks or pipes that would break the
 * table, no HTML, and no `@name` that would notify a GitHub user who has nothing to do with it.
 */
export function endpointMarkdownText(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\|<>`*_[\]]/g, (character) => `\\${character}`)
    .replace(/@(?=\w)/g, "@\u200b");
}
