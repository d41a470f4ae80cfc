import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from "yaml";

/**
 * Line and column (1-based) of the value at `path`, or of its key when `part` is "key". When the
 * path does not exist (a missing key), the nearest enclosing node that does is the best place.
 */
export function yamlPosition(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  part: "value" | "key" = "value",
): { line: number; col: number } {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && scalarValue(item.key) === segment);
      if (!pair) break;
      const keyStart = rangeStart(pair.key);
      const wantsKey = part === "key" && index === path.length - 1;
      offset = (wantsKey ? keyStart : (rangeStart(pair.value) ?? keyStart)) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return lineCounter.linePos(offset);
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
