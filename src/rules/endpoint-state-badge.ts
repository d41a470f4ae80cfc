const BADGES: Readonly<Record<string, string>> = {
  pending: "⏳ Pending",
  initializing: "🔄 Initializing",
  updating: "🔄 Updating",
  running: "🟢 Running",
  paused: "⏸️ Paused",
  scaledToZero: "💤 Scaled to zero",
  failed: "🔴 Failed",
  updateFailed: "🔴 Update failed",
  deleted: "🗑️ Deleted",
};

/** Emoji and words for a state; a state the bridge does not know is shown as the API spells it. */
export function endpointStateBadge(state: string): string {
  return Object.hasOwn(BADGES, state) ? (BADGES[state] as string) : `❔ ${state}`;
}
