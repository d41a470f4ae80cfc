import type { HubClient, HubRepoId } from "../hub/create-hub-client.ts";
import type { Store } from "../store/store.ts";

/**
 * The Hub comment a write-back posted although its answer was lost: a comment in the discussion with
 * exactly this text, by the bridge's Hub account (when known), not already linked to another GitHub
 * comment (two GitHub replies may say the same "+1").
 */
export async function findPostedHubComment(input: {
  hub: Pick<HubClient, "getDiscussion">;
  store: Store;
  repo: HubRepoId;
  num: number;
  text: string;
  githubCommentId: number;
  hubAccountId: string | undefined;
}): Promise<{ id: string } | undefined> {
  const { hub, store, hubAccountId, githubCommentId } = input;
  const wanted = input.text.trim();
  const details = await hub.getDiscussion(input.repo, input.num);
  for (const event of details.events) {
    if (event.type !== "comment" || event.data?.latest?.raw?.trim() !== wanted) continue;
    const author = event.author?.id ?? event.author?._id;
    if (hubAccountId !== undefined && author !== hubAccountId) continue;
    const linked = await store.getLink(`hub-comment:${event.id}`);
    if (linked === undefined || linked.githubId === githubCommentId) return { id: event.id };
  }
  return undefined;
}
