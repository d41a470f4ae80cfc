import type { BridgeConfig } from "../config/config-schema.ts";
import type { HubEffect } from "../effects/effect.ts";
import type { GitHubEvent } from "../events/bridge-event.ts";
import { sanitizeGitHubText } from "../text/sanitize-github-text.ts";
import { findWriteBackRoute } from "./find-write-back-route.ts";
import type { PlannedEffects } from "./planned-effects.ts";

/**
 * The Hub writes for a GitHub reply or close on a mirrored issue. Whether the author may speak for the
 * repository and which route's settings apply need I/O, so the executor decides them when it runs.
 */
export function planWriteBackEffects(
  event: Extract<GitHubEvent, { kind: "github.comment-created" | "github.issue-closed" }>,
  config: BridgeConfig,
): PlannedEffects<HubEffect> {
  const { issue } = event;
  const repo = { owner: issue.owner, repo: issue.name };
  const repoName = `${issue.owner}/${issue.name}`;
  const write = event.kind === "github.comment-created" ? "comment" : "close";
  const routing = findWriteBackRoute(config.routes, repoName, write);
  if (!routing.routed) return { effects: [], reason: routing.reason };
  if (event.kind === "github.comment-created") {
    const { reply } = event;
    const link = `github-comment:${repoName.toLowerCase()}:${reply.id}`;
    return {
      effects: [
        {
          type: "create-hub-comment",
          idempotencyKey: link,
          repo,
          discussion: issue.mirrors,
          link,
          issueNumber: issue.number,
          githubCommentId: reply.id,
          author: reply.author,
          body: `${reply.author} on GitHub wrote:\n\n${sanitizeGitHubText(reply.body)}`,
        },
      ],
    };
  }
  return {
    effects: [
      {
        type: "close-hub-discussion",
        idempotencyKey: `close-on-hub:${repoName.toLowerCase()}#${issue.number}`,
        repo,
        discussion: issue.mirrors,
        issueNumber: issue.number,
        closedBy: event.closedBy,
        comment: `${event.closedBy} closed the mirrored GitHub issue.`,
      },
    ],
  };
}
