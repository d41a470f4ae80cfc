// The `{{name}}` variables each configurable template may use. The planners fill exactly these (their
// value records are typed against them), and config validation refuses any other name up front, so a
// typo is a config error at start instead of a dead-lettered job later.

/** `discussions.titleTemplate`: what is known of the discussion before any text is read. */
export const TITLE_TEMPLATE_VARIABLES = ["title", "num", "repo", "type"] as const;

/** `discussions.bodyTemplate` and `discussions.commentTemplate` (README, "Discussion templates"). */
export const DISCUSSION_TEMPLATE_VARIABLES = [
  "title",
  "num",
  "repo",
  "type",
  "kind",
  "status",
  "url",
  "author",
  "authorId",
  "pullRequest",
  "content",
  "commentAuthor",
  "commentAuthorId",
  "commentUrl",
] as const;

/**
 * A dispatch rule's workflow `inputs`: the fields of the dispatch's `client_payload.hf`, and its
 * `dispatchId`, which a workflow can use to drop a repeated dispatch.
 */
export const DISPATCH_INPUT_VARIABLES = [
  "repo",
  "type",
  "ref",
  "oldSha",
  "newSha",
  "url",
  "commitUrl",
  "dispatchId",
] as const;
