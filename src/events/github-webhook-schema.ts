import { z } from "zod";

// Only the fields the bridge reads are checked; `looseObject` keeps the rest of GitHub's large payloads.

const user = z.looseObject({ login: z.string().min(1), type: z.string() });
const repository = z.looseObject({
  name: z.string().min(1),
  owner: z.looseObject({ login: z.string().min(1) }),
});
const issue = z.looseObject({
  number: z.number().int().positive(),
  body: z.string().nullish(),
});

/** `issue_comment` (https://docs.github.com/en/webhooks/webhook-events-and-payloads#issue_comment). */
export const githubIssueCommentSchema = z.looseObject({
  action: z.string(),
  issue,
  comment: z.looseObject({
    id: z.number().int().positive(),
    body: z.string(),
    // GitHub sends null for a comment whose author account was deleted.
    user: user.nullable(),
  }),
  repository,
});

/** `issues` (https://docs.github.com/en/webhooks/webhook-events-and-payloads#issues). */
export const githubIssuesSchema = z.looseObject({
  action: z.string(),
  issue,
  repository,
  sender: user,
  /** Present on `labeled` and `unlabeled`. */
  label: z.looseObject({ name: z.string() }).optional(),
});

/** `workflow_run` (https://docs.github.com/en/webhooks/webhook-events-and-payloads#workflow_run). */
export const githubWorkflowRunSchema = z.looseObject({
  action: z.string(),
  workflow_run: z.looseObject({
    id: z.number().int().positive(),
    name: z.string().nullish(),
    path: z.string(),
    workflow_id: z.number().int().positive(),
    /** What started the run: `workflow_dispatch` for the runs the bridge starts. */
    event: z.string(),
    conclusion: z.string().nullish(),
    html_url: z.string(),
    run_attempt: z.number().int().positive().optional(),
    run_started_at: z.string().nullish(),
    updated_at: z.string(),
  }),
  repository,
});
