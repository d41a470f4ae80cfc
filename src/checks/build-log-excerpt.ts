/**
 * GitHub refuses check-run text over 65,535 bytes; the excerpt keeps well inside it so the fence and
 * the heading around it fit too.
 */
const BUILD_LOG_EXCERPT_MAX_CHARS = 60_000;
/** A single line longer than this is cut: one minified bundle must not crowd out every other line. */
const MAX_LINE_CHARS = 2_000;
const REDACTED = "[line hidden by the bridge: it looked like it held a secret]";
/**
 * Lines that look like they carry a credential: known token shapes (Hugging Face, GitHub, AWS, Slack,
 * OpenAI-style keys), private keys, bearer headers, and `name=value` pairs whose name says secret.
 */
const SECRET_LOOKING = [
  /\bhf_[A-Za-z0-9]{20,}/,
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
  /\bsk-[A-Za-z0-9_-]{20,}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bbearer\s+[A-Za-z0-9._~+/-]{12,}/i,
  /\b[\w.-]*(?:token|secret|passw(?:or)?d|api[_-]?key|credential|private[_-]?key)[\w.-]*\s*[:=]\s*\S{6,}/i,
];

/**
 * The end of a build log as check-run text shows it: secret-looking lines replaced whole, long lines
 * cut, and as many of the last lines as fit in `maxChars` (BUILD_LOG_EXCERPT_MAX_CHARS).
 */
export function buildLogExcerpt(
  lines: readonly string[],
  maxChars = BUILD_LOG_EXCERPT_MAX_CHARS,
): { text: string; lines: number } {
  const kept: string[] = [];
  let size = 0;
  for (let index = lines.length - 1; index >= 0; index--) {
    const raw = lines[index] as string;
    const redacted = SECRET_LOOKING.some((pattern) => pattern.test(raw)) ? REDACTED : raw;
    const line =
      redacted.length > MAX_LINE_CHARS ? `${redacted.slice(0, MAX_LINE_CHARS)} […]` : redacted;
    if (size + line.length + 1 > maxChars) break;
    kept.unshift(line);
    size += line.length + 1;
  }
  return { text: kept.join("\n"), lines: kept.length };
}
