import type { ProbedMarkdown } from "./parse-with-probe.ts";

const FENCE_OPENER = /^ {0,3}(`{3,}|~{3,})/;
/** HTML blocks of CommonMark kinds 1–5 run until their end condition, not until a blank line. */
const HTML_BLOCK_CLOSERS: ReadonlyArray<[RegExp, (tag: string) => string]> = [
  [/^ {0,3}<(pre|script|style|textarea)(?=[\s>]|$)/i, (tag) => `</${tag}>`],
  [/^ {0,3}<!--/, () => "-->"],
  [/^ {0,3}<\?/, () => "?>"],
  [/^ {0,3}<!\[CDATA\[/, () => "]]>"],
  [/^ {0,3}<![A-Za-z]/, () => ">"],
];

/**
 * The line that closes the code fence or HTML block `markdown` leaves open at its end, or undefined
 * when what follows starts afresh.
 */
export function findOpenBlockCloser(
  markdown: string,
  { tree, probeAt }: ProbedMarkdown,
): string | undefined {
  const block = tree.children.find(({ position }) => {
    const start = position?.start.offset ?? 0;
    return start <= probeAt && probeAt < (position?.end.offset ?? 0);
  });
  const start = block?.position?.start.offset;
  if (block === undefined || start === undefined || start === probeAt) return undefined;
  const opener = markdown.slice(start).split(/\r\n|[\n\r]/, 1)[0] ?? "";
  if (block.type === "code") return FENCE_OPENER.exec(opener)?.[1];
  if (block.type !== "html") return undefined;
  for (const [pattern, closer] of HTML_BLOCK_CLOSERS) {
    const match = pattern.exec(opener);
    if (match) return closer(match[1] ?? "");
  }
  return undefined;
}
