import type { GitHubRepoRef } from "../effects/effect.ts";
import type { RepoClient } from "../github/create-octokit-factory.ts";
import { sendGitHubRequest } from "../github/send-github-request.ts";
import type { WriteThrottle } from "../github/write-throttle.ts";
import type { ExecutedEffect } from "../jobs/executor.ts";
import { readLinkMarker } from "../text/link-marker.ts";

/** GitHub's largest page of comments. */
const PAGE_SIZE = 100;
/** A card's thread grows by a few comments per transition; this many pages cover years of it. */
const MAX_PAGES = 30;

interface MarkedComment {
  id: number;
  html_url: string;
}

export interface TransitionComment {
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

  async function listMarked(): Promise<MarkedComment[]> {
    const marked: MarkedComment[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await send("read", `list comments of ${repoName}#${issueNumber}`, () =>
        client.octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          owner: repo.owner,
          repo: repo.repo,
          issue_number: issueNumber,
          per_page: PAGE_SIZE,
          page,
        }),
      );
      for (const comment of data) {
        if (
          comment.user?.login === client.botLogin &&
          readLinkMarker(comment.body ?? "", input.markerKey) === link
        ) {
          marked.push({ id: Number(comment.id), html_url: comment.html_url });
        }
      }
      if (data.length < PAGE_SIZE) break;
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
