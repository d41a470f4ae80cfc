import type { HubRepoType } from "../hf/hub-payload-schema.ts";
import { callHubDiscussion } from "./call-hub-discussion.ts";

/** `POST /api/{type}s/{repo}/discussions/{num}/comment` with the Hub token. */
export async function postHubComment(input: {
  hubUrl: string;
  hfToken: string;
  repoType: HubRepoType;
  repo: string;
  discussion: number;
  text: string;
  fetch?: typeof fetch;
}): Promise<{ id: string }> {
  const { text, ...target } = input;
  const body = await callHubDiscussion({
    ...target,
    method: "POST",
    suffix: "/comment",
    body: { comment: text },
  });
  const id = (body as { newMessage?: { id?: unknown } } | null)?.newMessage?.id;
  return { id: typeof id === "string" ? id : "" };
}
