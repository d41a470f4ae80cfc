import type { HubRepoType } from "../hf/hub-payload-schema.ts";
import { callHubDiscussion } from "./call-hub-discussion.ts";
import { isMarkedHubComment } from "./is-marked-hub-comment.ts";

interface TimelineEvent {
  id?: unknown;
  type?: unknown;
  data?: { latest?: { raw?: unknown }; hidden?: unknown };
}

/**
 * Reads the discussion (`GET /api/{type}s/{repo}/discussions/{num}`) and answers the id of the first
 * visible comment that starts with `marker`, or undefined when there is none yet.
 */
export async function findHubStatusComment(input: {
  hubUrl: string;
  hfToken: string;
  repoType: HubRepoType;
  repo: string;
  discussion: number;
  marker: string;
  fetch?: typeof fetch;
}): Promise<string | undefined> {
  const { marker, ...target } = input;
  const body = (await callHubDiscussion({ ...target, method: "GET", suffix: "" })) as {
    events?: unknown;
  } | null;
  const events = Array.isArray(body?.events) ? (body.events as TimelineEvent[]) : [];
  const found = events.find(
    (event) => typeof event.id === "string" && isMarkedHubComment(event, marker),
  );
  return typeof found?.id === "string" ? found.id : undefined;
}
