import { hubStatusRank } from "./hub-status-rank.ts";

/** The status to remember: the incoming one when it applies and is not older than the applied one. */
export function laterStatus(
  applied: string | undefined,
  incoming: string,
  applies: boolean,
): string {
  if (!applies) return applied ?? incoming;
  if (applied === undefined) return incoming;
  return hubStatusRank(incoming) >= hubStatusRank(applied) ? incoming : applied;
}
