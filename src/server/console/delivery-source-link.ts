import type { BridgeEvent } from "../../events/bridge-event.ts";

/** The Hub page the event came from: the comment, the discussion, the commit, else the repo. */
export function deliverySourceLink(event: BridgeEvent | undefined): string | undefined {
  if (!event) return undefined;
  if ("comment" in event && event.comment?.webUrl) return event.comment.webUrl;
  if ("discussion" in event && event.discussion?.webUrl) return event.discussion.webUrl;
  if (!("repo" in event) || !event.repo?.webUrl) return undefined;
  const sha = "refs" in event ? event.refs?.find((ref) => ref.newSha)?.newSha : undefined;
  return sha ? `${event.repo.webUrl}/commit/${sha}` : event.repo.webUrl;
}
