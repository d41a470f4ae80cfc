import { findOpenBlockCloser } from "./find-open-block-closer.ts";
import { parseWithProbe } from "./parse-with-probe.ts";

/** Closing one block can expose at most one more (an HTML block around a fence); more means a bug. */
const MAX_CLOSERS = 4;

/**
 * Appends whatever closes a code fence or HTML block left open at the end of `markdown`, so text the
 * bridge puts after it (a blank line, then a notice or marker) is not swallowed.
 */
export function closeOpenBlocks(markdown: string): string {
  let closed = markdown;
  for (let attempt = 0; attempt < MAX_CLOSERS; attempt++) {
    const closer = findOpenBlockCloser(closed, parseWithProbe(closed));
    if (closer === undefined) break;
    closed += `${/[\r\n]$/.test(closed) ? "" : "\n"}${closer}`;
  }
  return closed;
}
