/**
 * The largest index ≤ `index` that does not split a user-perceived character, so a cut never leaves
 * half a surrogate pair, a stray combining mark or a broken emoji sequence.
 */
export function graphemeBoundaryAtOrBefore(text: string, index: number): number {
  if (index <= 0) return 0;
  if (index >= text.length) return text.length;
  const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const segment = graphemes.segment(text).containing(index);
  return segment === undefined ? index : segment.index;
}
