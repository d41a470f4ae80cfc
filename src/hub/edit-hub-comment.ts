import type { HubRepoType } from "../hf/hub-payload-schema.ts";
import { callHubDiscussion } from "./call-hub-discussion.ts";

/** `POST /api/{type}s/{repo}/discussions/{num}/comment/{commentId}/edit` `{"content"}` (hf-apis.md §3). */
export async function editHubComment(input: {
  hubUrl: string;
  hfToken: string;
  repoType: HubRepoType;
  repo: string;
  discussion: number;
  commentId: string;
  text: string;
  fetch?: typeof fetch;
}): Promise<{ id: string }> {
  const { text, commentId, ...target } = input;
  await callHubDiscussion({
    ...target,
    method: "POST",
    suffix: `/comment/${encodeURIComponent(commentId)}/edit`,
    body: { content: text },
  });
  return { id: commentId };
}
