import type { Link, LinkInput } from "../store/store.ts";

/** Sets the state of `key` among the links to record, adding the known link when the write returned none. */
export function stampLinkState(
  links: LinkInput[],
  known: Link | undefined,
  key: string,
  update: (state: Record<string, unknown>) => Record<string, unknown>,
): void {
  const index = links.findIndex((link) => link.key === key);
  const current = index >= 0 ? links[index] : known && withoutTime(known);
  if (current === undefined) return;
  const next = { ...current, state: update(current.state ?? {}) };
  if (index >= 0) links[index] = next;
  else links.push(next);
}

function withoutTime(link: Link): LinkInput {
  const { updatedAt: _updatedAt, ...input } = link;
  return input;
}
