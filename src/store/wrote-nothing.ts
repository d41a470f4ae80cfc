import type { EffectResult, LinkInput } from "./store.ts";

/** Results of effects that changed nothing outside the store: "planned" (dry-run) and "skipped". */
const UNWRITTEN_STATUSES: ReadonlySet<EffectResult["status"]> = new Set(["skipped", "planned"]);

/**
 * Whether an executed effect wrote nothing anywhere: not to GitHub or the Hub (its status), and no
 * link or resolved intent in the store. Losing such a record in a crash costs only doing the same
 * nothing again, so it needs no fsync of its own.
 */
export function wroteNothing(
  result: EffectResult,
  links: readonly LinkInput[] = [],
  resolvedIntents: readonly string[] = [],
): boolean {
  return (
    UNWRITTEN_STATUSES.has(result.status) && links.length === 0 && resolvedIntents.length === 0
  );
}
