import type { GitHubRepoRef } from "../effects/effect.ts";
import type { EffectRun } from "./effect-run.ts";
import { listMarkedComments, type MarkedComment } from "./list-marked-comments.ts";

/**
 * The comment this bot posted on the issue for `linkKey`, if a create whose answer was lost did reach
 * GitHub.
 */
export async function findMarkedComment(
  run: EffectRun,
  repo: GitHubRepoRef,
  issueNumber: number,
  linkKey: string,
): Promise<MarkedComment | undefined> {
  for await (const comment of listMarkedComments({
    client: run.client,
    repo,
    issueNumber,
    linkKey,
    markerKey: run.markerKey,
    read: (description, request) => run.send("read", description, request),
  })) {
    return comment;
  }
  return undefined;
}
