/** A discussion timeline entry as the Hub sends it, in the fields that tell a marked comment. */
interface TimelineEntry {
  type?: unknown;
  data?: { hidden?: unknown; latest?: { raw?: unknown } };
}

/**
 * Whether a Hub discussion's timeline entry is a visible comment whose text starts with `marker`: how
 * the bridge and the Action's report step find the status comment they keep per workflow.
 */
export function isMarkedHubComment(entry: TimelineEntry, marker: string): boolean {
  const raw = entry.data?.latest?.raw;
  return (
    entry.type === "comment" &&
    entry.data?.hidden !== true &&
    typeof raw === "string" &&
    raw.startsWith(marker)
  );
}
