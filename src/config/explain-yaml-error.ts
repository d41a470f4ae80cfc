import type { LineCounter, YAMLError } from "yaml";
import type { ConfigProblem } from "./config-problem.ts";

/** Fixes for the parser's codes when no more specific cause is found in the text. */
const YAML_FIXES: Readonly<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY:
    'quote the value, e.g. key: "a: b", or indent the nested keys on new lines',
  MULTILINE_IMPLICIT_KEY: "put the key and its value on one line, or quote the value",
  BAD_INDENT: "align the line with its siblings (two spaces per level)",
};
const DEFAULT_YAML_FIX = "check the indentation and quoting on that line";

/** Parser codes that an indentation mistake on the reported line, or the one after it, produces. */
const INDENT_SYMPTOMS = new Set([
  "BAD_INDENT",
  "MISSING_CHAR",
  "BLOCK_AS_IMPLICIT_KEY",
  "MULTILINE_IMPLICIT_KEY",
]);

interface Line {
  /** 1-based, as editors count. */
  number: number;
  text: string;
  indent: number;
}

/**
 * Turns a YAML parser error into a problem that names its real cause, read from the text around it:
 * a line indented to no enclosing level, a tab, a key set twice, a bracket or quote never closed.
 * The parser's own wording (e.g. "Sequence item without - indicator" for a misindented key) often
 * describes a symptom, so the text decides the message and the fix.
 */
export function explainYamlError(
  error: YAMLError,
  text: string,
  lineCounter: LineCounter,
): ConfigProblem {
  const position = lineCounter.linePos(error.pos[0]);
  const lines = text.split(/\r?\n/).map(
    (content, index): Line => ({
      number: index + 1,
      text: content,
      indent: content.length - content.trimStart().length,
    }),
  );
  const at = lines[position.line - 1] ?? { number: position.line, text: "", indent: 0 };
  const found = `(found ${JSON.stringify(at.text.trim())})`;
  const problem = (line: number, col: number, message: string, fix: string): ConfigProblem => ({
    line,
    col,
    where: "YAML syntax",
    message,
    fix,
  });

  if (error.code === "TAB_AS_INDENT") {
    return problem(
      at.number,
      1,
      `line ${at.number} is indented with a tab ${found}`,
      "indent with spaces; YAML does not allow tabs",
    );
  }
  if (error.code === "DUPLICATE_KEY") {
    const key = keyOf(at.text);
    const first = key === undefined ? undefined : earlierSibling(lines, at, key);
    return problem(
      position.line,
      position.col,
      `key ${JSON.stringify(key ?? at.text.trim())} is set twice in the same mapping${first ? ` (first on line ${first.number})` : ""}`,
      "keep one of the two (a second value would silently replace the first)",
    );
  }
  const unclosed = findUnclosed(lines, at.number);
  if (unclosed) {
    return problem(
      unclosed.line.number,
      unclosed.col,
      `the ${unclosed.opener} opened on line ${unclosed.line.number} is never closed (found ${JSON.stringify(unclosed.line.text.trim())})`,
      `add the closing ${unclosed.closer} on line ${unclosed.line.number}`,
    );
  }
  if (INDENT_SYMPTOMS.has(error.code)) {
    for (const line of [at, lines[at.number]]) {
      const misplaced = line && misindented(lines, line);
      if (misplaced) {
        return problem(
          misplaced.line.number,
          misplaced.line.indent + 1,
          `line ${misplaced.line.number} is indented ${misplaced.line.indent} spaces, which lines it up with no key above it (found ${JSON.stringify(misplaced.line.text.trim())})`,
          `indent it ${misplaced.column} spaces, to line up with ${JSON.stringify(keyOf(misplaced.sibling.text) ?? misplaced.sibling.text.trim())} on line ${misplaced.sibling.number}`,
        );
      }
    }
  }
  return problem(
    position.line,
    position.col,
    `${error.message.split("\n")[0]} ${found}`,
    YAML_FIXES[error.code] ?? DEFAULT_YAML_FIX,
  );
}

function isContent(line: Line): boolean {
  const trimmed = line.text.trim();
  return trimmed !== "" && !trimmed.startsWith("#");
}

/** The key a `key: value` (or `- key: value`) line sets. */
function keyOf(text: string): string | undefined {
  const match = /^\s*(?:-\s+)?(["']?)([^"':#]+)\1\s*:(\s|$)/.exec(text);
  return match?.[2]?.trim();
}

/** The earlier line at the same indentation, in the same block, that sets `key`. */
function earlierSibling(lines: Line[], at: Line, key: string): Line | undefined {
  for (let index = at.number - 2; index >= 0; index--) {
    const line = lines[index] as Line;
    if (!isContent(line)) continue;
    if (line.indent < at.indent) return undefined;
    if (line.indent === at.indent && keyOf(line.text) === key) return line;
  }
  return undefined;
}

/**
 * The last `[`, `{` or quote opened before `upTo` (inclusive) and not closed by then. Flow
 * collections and quoted values in a config span one line each, so each line is scanned alone.
 */
function findUnclosed(
  lines: Line[],
  upTo: number,
): { line: Line; col: number; opener: string; closer: string } | undefined {
  for (let index = Math.min(upTo, lines.length) - 1; index >= 0; index--) {
    const line = lines[index] as Line;
    if (!isContent(line)) continue;
    const open = unclosedOn(line.text);
    if (open) {
      const closer = { "[": "]", "{": "}", '"': '"', "'": "'" }[open.char] as string;
      return { line, col: open.col, opener: open.char, closer };
    }
  }
  return undefined;
}

/** The opener left open at the end of one line, ignoring brackets inside quotes and comments. */
function unclosedOn(text: string): { char: string; col: number } | undefined {
  const stack: { char: string; col: number }[] = [];
  let quote: { char: string; col: number } | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (quote) {
      if (char === quote.char) quote = undefined;
      continue;
    }
    if (char === "#" && (index === 0 || /\s/.test(text[index - 1] as string))) break;
    const startsValue = index === 0 || /[\s[{,:]/.test(text[index - 1] as string);
    if ((char === '"' || char === "'") && startsValue) quote = { char, col: index + 1 };
    else if (char === "[" || char === "{") stack.push({ char, col: index + 1 });
    else if (char === "]" || char === "}") stack.pop();
  }
  return quote ?? stack.at(-1);
}

/**
 * A key line whose indentation matches no level it could belong to: not its previous sibling's,
 * not deeper under a key that opens a block, and not any enclosing level above. Returns the line and
 * the nearest line it was probably meant to line up with.
 */
function misindented(
  lines: Line[],
  line: Line,
): { line: Line; sibling: Line; column: number } | undefined {
  if (!isContent(line) || keyOf(line.text) === undefined) return undefined;
  const levels: Line[] = [];
  let smallest = Number.POSITIVE_INFINITY;
  for (let index = line.number - 2; index >= 0; index--) {
    const above = lines[index] as Line;
    if (!isContent(above) || above.indent >= smallest) continue;
    if (levels.length === 0 && opensBlock(above.text) && line.indent > above.indent) return;
    smallest = above.indent;
    levels.push(above);
  }
  const isItem = /^\s*-(\s|$)/.test(line.text);
  const columns = levels.flatMap((above) => {
    const item = /^\s*-\s+/.exec(above.text);
    // After a `- key: value` line, keys go inside the item; only another item starts at its dash.
    if (!item) return [above.indent];
    return isItem ? [above.indent, item[0].length] : [item[0].length];
  });
  if (levels.length === 0 || columns.includes(line.indent)) return undefined;
  const sibling = levels.reduce((best, above) => {
    const column = itemColumn(above);
    return Math.abs(column - line.indent) < Math.abs(itemColumn(best) - line.indent) ? above : best;
  });
  return { line, sibling, column: itemColumn(sibling) };
}

/** Where keys start on a line: after `- ` for a list item, else at its indentation. */
function itemColumn(line: Line): number {
  return /^\s*-\s+/.exec(line.text)?.[0].length ?? line.indent;
}

/** `key:` with nothing after it (or only a comment), or a bare `-`: deeper lines belong to it. */
function opensBlock(text: string): boolean {
  return /:\s*(#.*)?$/.test(text) || /^\s*-\s*$/.test(text) || /[|>][+-]?\s*$/.test(text);
}
