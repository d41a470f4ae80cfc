import type { TITLE_TEMPLATE_VARIABLES } from "../config/template-variables.ts";
import type { DiscussionRef, RepoRef } from "../events/bridge-event.ts";
import type { HubValue } from "../text/hub-value.ts";
import { renderTemplate } from "./render-template.ts";

/** GitHub refuses issue titles longer than this with a 422. */
const GITHUB_ISSUE_TITLE_MAX = 256;

/**
 * The mirrored issue's title from the route's `discussions.titleTemplate`, with the Hub's values
 * sanitised (a title like `First @bob #3` neither notifies nor references), cut to GitHub's limit.
 */
export function discussionIssueTitle(
  template: string,
  repo: RepoRef,
  discussion: DiscussionRef,
): string {
  const values: Record<(typeof TITLE_TEMPLATE_VARIABLES)[number], HubValue> = {
    title: { hubText: discussion.title },
    num: { hubText: String(discussion.num) },
    repo: { hubText: repo.name },
    type: { hubText: repo.type },
  };
  const title = renderTemplate(template, values, "discussions.titleTemplate", "title");
  const characters = Array.from(title);
  if (characters.length <= GITHUB_ISSUE_TITLE_MAX) return title;
  return `${characters.slice(0, GITHUB_ISSUE_TITLE_MAX - 1).join("")}…`;
}
