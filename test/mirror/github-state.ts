import type { FakeGitHub } from "../support/fake-github/start-fake-github.ts";
import type { FakeComment, FakeIssue } from "../support/fake-github/types.ts";

export function issuesOf(github: FakeGitHub, repo = "acme/widgets"): FakeIssue[] {
  return [...(github.state.repos.get(repo)?.issues.values() ?? [])];
}

export function commentsOn(
  github: FakeGitHub,
  issueNumber: number,
  repo = "acme/widgets",
): FakeComment[] {
  return [...github.state.comments.values()].filter(
    (comment) => comment.repoKey === repo && comment.issueNumber === issueNumber,
  );
}

/** The one issue whose body mirrors the Hub discussion with this link key. */
export function issueFor(github: FakeGitHub, linkKey: string): FakeIssue {
  const found = issuesOf(github).filter((issue) => issue.body?.includes(`link=${linkKey};`));
  if (found.length !== 1) {
    throw new Error(`expected one issue for ${linkKey}, found ${found.length}`);
  }
  return found[0] as FakeIssue;
}

/**
 * The GitHub state in a form that does not depend on the order things were created in: issues by
 * the Hub discussion they mirror, comments as a sorted list of bodies.
 */
export function canonicalState(github: FakeGitHub) {
  return Object.fromEntries(
    issuesOf(github)
      .map((issue) => {
        const key = /link=([^;]+);/.exec(issue.body ?? "")?.[1] ?? `unmarked #${issue.number}`;
        return [
          key,
          {
            title: issue.title,
            body: issue.body,
            state: issue.state,
            stateReason: issue.state_reason,
            labels: [...issue.labels].sort(),
            comments: commentsOn(github, issue.number)
              .map((comment) => comment.body)
              .sort(),
          },
        ] as const;
      })
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
