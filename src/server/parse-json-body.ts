import { HttpProblem } from "./http-problem.ts";

/** Hub payloads nest about five levels; far deeper input is an attack on the parser, not a webhook. */
export const MAX_JSON_DEPTH = 64;

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decodes and parses an authenticated body. JSON.parse already makes `__proto__` an own property; the
 * reviver also drops `__proto__` and `constructor` keys (no Hub payload has them) so that no later
 * spread, merge or schema copy can turn them into a prototype change.
 */
export function parseJsonBody(body: Buffer): { text: string; value: unknown } {
  let text: string;
  try {
    text = STRICT_UTF8.decode(body);
  } catch {
    throw invalid("the body is not valid UTF-8; send JSON encoded as UTF-8");
  }
  const depth = mayNestDeeperThan(text, MAX_JSON_DEPTH) ? jsonNestingDepth(text) : 0;
  if (depth > MAX_JSON_DEPTH) {
    throw invalid(
      `the JSON nests ${depth} levels deep, more than the ${MAX_JSON_DEPTH} allowed; a Hub webhook payload nests far less`,
    );
  }
  try {
    const reviver = PROTOTYPE_KEY.test(text) ? dropPrototypeKeys : undefined;
    return { text, value: JSON.parse(text, reviver) };
  } catch (error) {
    throw invalid(
      `the body is not valid JSON (${(error as Error).message}); send the Hub payload as JSON`,
    );
  }
}

/** A cheap test first: the reviver runs for every value, so only bodies that name such a key pay for it. */
const PROTOTYPE_KEY = /"(?:__proto__|constructor)"|\\u/;

function dropPrototypeKeys(key: string, value: unknown): unknown {
  return key === "__proto__" || key === "constructor" ? undefined : value;
}

/** A body with no more opening brackets than the limit cannot nest deeper; native searches count them. */
function mayNestDeeperThan(text: string, limit: number): boolean {
  let opened = 0;
  for (const bracket of ["{", "["]) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      if (++opened > limit) return true;
    }
  }
  return false;
}

/** Deepest bracket nesting outside strings, found without parsing so a deep body never reaches JSON.parse. */
function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x7d || char === 0x5d) depth--;
  }
  return deepest;
}

function invalid(reason: string): HttpProblem {
  return new HttpProblem(400, "invalid", reason);
}
