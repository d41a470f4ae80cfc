import type { HubClient } from "../hub/create-hub-client.ts";
import type { ExecutionContext } from "../jobs/executor.ts";
import type { DiscussionEvent } from "../rules/discussion-issue-effect.ts";

/** The live status, or undefined when it cannot be read: arrival order then decides, as without a token. */
export type LiveStatusReader = (
  event: DiscussionEvent,
  context: ExecutionContext,
) => Promise<string | undefined>;

/** Reads a discussion's live status on the Hub, once per job however many effects it plans. */
export function createLiveStatusReader(
  hub: Pick<HubClient, "getDiscussion"> | undefined,
): LiveStatusReader {
  const liveStatusByJob = new WeakMap<ExecutionContext["job"], Promise<string | undefined>>();
  return (event, context) => {
    if (!hub) return Promise.resolve(undefined);
    let status = liveStatusByJob.get(context.job);
    if (status === undefined) {
      status = readLiveStatus(hub, event, context);
      liveStatusByJob.set(context.job, status);
    }
    return status;
  };
}

async function readLiveStatus(
  discussions: Pick<HubClient, "getDiscussion">,
  event: DiscussionEvent,
  context: ExecutionContext,
): Promise<string | undefined> {
  try {
    return (await discussions.getDiscussion(event.repo, event.discussion.num)).status;
  } catch (error) {
    context.log.warn(
      { err: error },
      `could not read the live status of ${event.repo.name} #${event.discussion.num}; applying "${event.discussion.status}" in arrival order`,
    );
    return undefined;
  }
}
