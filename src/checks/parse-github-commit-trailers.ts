/**
 * `GitHub-Commit: <sha>` lines, the trailer upload tools write to record the GitHub commit a Hub
 * commit came from. Key case-insensitive, 7 to 40 hex digits, first mention first, no repeats.
 */
const TRAILER = /^[ \t]*github-commit:[ \t]*([0-9a-f]{7,40})[ \t]*$/gim;

export function parseGitHubCommitTrailers(message: string): string[] {
  const shas = [...message.matchAll(TRAILER)].map((match) => (match[1] ?? "").toLowerCase());
  return [...new Set(shas)];
}
