import type { GitHubRepoRef } from "../effects/effect.ts";
import type { RepoClient } from "../github/create-octokit-factory.ts";
import { listMarkedComments } from "../github/list-marked-comments.ts";
import { sendGitHubRequest } from "../github/send-github-request.ts";
import type { WriteThrottle } from "../github/write-throttle.ts";
import type { ExecutedEffect } from "../jobs/executor.ts";

interface TransitionComment {
  executed: ExecutedEffect;
  /**
   * True when another run had already commented on this transition: one that ran earlier (and found
   * nothing to save afterwards) or one that overlapped with this run and posted first.
   */
  postedElsewhere: boolean;
}

/**
 * Posts a transition comment on a card so that overlapping `watch` runs end with exactly one: both
 * may post, then each lists the card's comments carrying this transition's marker (written by the
 * token's own account), keeps the oldest and deletes the others, so the later poster removes its own
 * duplicate. GitHub numbers comments in the order it creates them, so the smallest id is the oldest.
 */
export async function postTransitionCommentOnce(input: {
  repo: GitHubRepoRef;
  /** The link key the comment's marker carries: one per transition. */
  link: string;
  issueNumber: number;
  client: RepoClient;
  throttle: WriteThrottle;
  markerKey: string;
  /** Posts the comment with that marker (or adopts one it finds first); reports its id. */
  post: () => Promise<ExecutedEffect>;
}): Promise<TransitionComment> {
  const { repo, link, issueNumber, client, throttle } = input;
  const repoName = `${repo.owner}/${repo.repo}`;
  const send = <T>(kind: "read" | "write", description: string, request: () => Promise<T>) =>
    sendGitHubRequest({ client, throttle, kind, description, now: Date.now, send: request });

  async function listMarked(): Promise<{ id: number; html_url: string }[]> {
    const marked: { id: number; html_url: string }[] = [];
    for await (const comment of listMarkedComments({
      client,
      repo,
      issueNumber,
      linkKey: link,
      markerKey: input.markerKey,
      read: (description, request) => send("read", description, () => request({})),
    })) {
      marked.push({ id: Number(comment.id), html_url: comment.html_url });
    }
    return marked.sort((a, b) => a.id - b.id);
  }

  const before = await listMarked();
  const executed = await input.post();
  const [kept, ...duplicates] = await listMarked();
  for (const duplicate of duplicates) {
    await send("write", `delete duplicate comment ${duplicate.id} in ${repoName}`, () =>
      client.octokit
        .request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", {
          owner: repo.owner,
          repo: repo.repo,
          comment_id: duplicate.id,
        })
        .catch((error: { status?: number }) => {
          // The overlapping run deleted it first: the goal is met.
          if (error.status !== 404) throw error;
        }),
    );
  }
  if (kept === undefined || kept.id === executed.githubId) {
    return { executed, postedElsewhere: before.length > 0 };
  }
  return {
    executed: {
      status: "skipped",
      detail: `comment ${kept.id} on #${issueNumber} was posted first by an overlapping run; this run's copy ${executed.githubId} was deleted`,
      githubId: kept.id,
      url: kept.html_url,
      links: (executed.links ?? []).map((link) => ({ ...link, githubId: kept.id })),
    },
    postedElsewhere: true,
  };
}
