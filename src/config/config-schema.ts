import { z } from "zod";
import { HUB_REPO_TYPES } from "../hf/hub-payload-schema.ts";
import { WORKFLOW_DISPATCH_MAX_INPUTS } from "../text/github-limits.ts";
import { refineTemplate } from "./refine-template.ts";
import {
  DISCUSSION_TEMPLATE_VARIABLES,
  DISPATCH_INPUT_VARIABLES,
  TITLE_TEMPLATE_VARIABLES,
} from "./template-variables.ts";

const githubRepo = z
  .string()
  .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'expected a GitHub repository as "owner/repo"');

const discussionsFeature = z.union([
  z.boolean(),
  z.strictObject({
    enabled: z.boolean().default(true),
    /** Private Hub repos are never mirrored into public GitHub repos unless this is true. */
    mirrorPrivateIntoPublic: z.boolean().default(false),
    titleTemplate: z
      .string()
      .superRefine(refineTemplate(TITLE_TEMPLATE_VARIABLES))
      .default("[Hub] {{title}}"),
    /** Mirrored issue body; variables are listed in the README ("Discussion templates"). */
    bodyTemplate: z.string().superRefine(refineTemplate(DISCUSSION_TEMPLATE_VARIABLES)).optional(),
    /** Mirrored comment body; variables are listed in the README ("Discussion templates"). */
    commentTemplate: z
      .string()
      .superRefine(refineTemplate(DISCUSSION_TEMPLATE_VARIABLES))
      .optional(),
    labels: z
      .strictObject({
        all: z.string().default("huggingface"),
        discussion: z.string().default("hub-discussion"),
        pullRequest: z.string().default("hub-pr"),
        draft: z.string().default("draft"),
      })
      .prefault({}),
    /** Post comments by GitHub repo members back to the Hub discussion (needs HF_TOKEN with write access). */
    writeBack: z.boolean().default(false),
    /** Closing the mirrored issue closes the Hub discussion (needs writeBack). */
    closeOnHub: z.boolean().default(false),
  }),
]);

/** GitHub names a workflow by its file in .github/workflows, or by its numeric id. */
const workflowFile = z.string().superRefine((workflow, context) => {
  if (/^(\d+|[^/\\]+\.ya?ml)$/.test(workflow)) return;
  const file = workflow.split(/[/\\]/).pop() ?? "";
  context.addIssue({
    code: "custom",
    message: "expected a workflow file name such as retrain.yml, or a workflow id",
    params: {
      fix: /\.ya?ml$/.test(file)
        ? `write the file name only: workflow: ${file}`
        : "name the file in .github/workflows, e.g. workflow: retrain.yml",
    },
  });
});

/** Not blank: GitHub refuses an event type of only spaces (the job would dead-letter). */
const eventTypeText = z
  .string()
  .min(1)
  .max(100)
  .refine((text) => text === "" || text.trim() !== "", "must not be blank");

/** A workflow_dispatch input id as GitHub accepts it in a workflow file. */
const workflowInputName = z.string().refine((name) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name), {
  message: "a workflow input id starts with a letter or _ and has only letters, digits, - and _",
  params: { fix: "rename the input here and in the workflow's on.workflow_dispatch.inputs" },
});

const dispatchRule = z
  .strictObject({
    /** Which refs trigger it; default the main branch. */
    refs: z.array(z.string().min(1)).default(["refs/heads/main"]),
    /** Hub repo types that trigger it (e.g. only datasets); all the route covers when absent. */
    types: z.array(z.enum(HUB_REPO_TYPES)).min(1).optional(),
    /** Hub repo names or globs (`acme/*-corpus`) that trigger it; all the route covers when absent. */
    repos: z.array(z.string().min(1)).min(1).optional(),
    /** `repository_dispatch` event type; default per repo type (hf.dataset.updated, …). */
    eventType: eventTypeText.optional(),
    /** Send `workflow_dispatch` of this workflow file instead of `repository_dispatch`. */
    workflow: workflowFile.optional(),
    workflowRef: z.string().min(1).default("main"),
    /** Send only when a changed file matches one of these globs (`data/**`), read from the Hub. */
    paths: z.array(z.string().min(1)).min(1).optional(),
    /** Changed files matching these globs do not count (`**\/*.md`). */
    pathsIgnore: z.array(z.string().min(1)).min(1).optional(),
    /** workflow_dispatch inputs; values may use the variables of DISPATCH_INPUT_VARIABLES. */
    inputs: z
      .record(workflowInputName, z.string().superRefine(refineTemplate(DISPATCH_INPUT_VARIABLES)))
      .refine((inputs) => Object.keys(inputs).length <= WORKFLOW_DISPATCH_MAX_INPUTS, {
        message: `GitHub accepts at most ${WORKFLOW_DISPATCH_MAX_INPUTS} workflow inputs`,
        params: { fix: "pass fewer inputs, e.g. one JSON string input the workflow parses" },
      })
      .optional(),
  })
  .superRefine((rule, context) => {
    // These keys belong to the other kind of dispatch; silently ignoring them hides a mistake.
    if (rule.workflow === undefined && rule.inputs !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["inputs"],
        message: "inputs are sent only with workflow_dispatch, and this rule has no workflow",
        params: { fix: "add workflow: <file>.yml, or remove inputs" },
      });
    }
    if (rule.workflow !== undefined && rule.eventType !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["eventType"],
        message: "eventType names a repository_dispatch, but this rule starts a workflow",
        params: { fix: "remove eventType, or remove workflow to send repository_dispatch" },
      });
    }
  });

const checksSettings = z.strictObject({
  /** The check run's name on GitHub commits. */
  name: z.string().min(1).max(100).default("Hugging Face Hub"),
  /** With no same-SHA or trailer match, report on the head of the mapped GitHub branch. */
  fallbackToBranchHead: z.boolean().default(false),
  /** Hub branch name → GitHub branch name for that fallback; same name when absent. */
  branches: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** A Space build still not RUNNING or failed after this long ends its check run as timed_out. */
  spaceTimeoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
});

export const routeSchema = z.strictObject({
  /** Hub repo as `owner/name`, or a glob such as `acme/*`. */
  hub: z.string().min(1),
  /** Repo types this route applies to; all when absent. */
  types: z.array(z.enum(HUB_REPO_TYPES)).min(1).optional(),
  github: githubRepo,
  discussions: discussionsFeature.default(false),
  /** Hub commits become check runs on the matching GitHub commit (needs a GitHub App). */
  commits: z.enum(["off", "checks"]).default("off"),
  /** How `commits: checks` names, matches and times out its check runs. */
  checks: checksSettings.prefault({}),
  dispatch: z.array(dispatchRule).default([]),
  /**
   * CI for Hub pull requests: each new commit of `refs/pr/N` starts this workflow, when the PR's
   * author is trusted (a member of the Hub repo's owning organisation, or listed in `trusted`).
   */
  pullRequests: z
    .strictObject({
      workflow: workflowFile,
      workflowRef: z.string().min(1).default("main"),
      /** Hub usernames trusted besides the owning organisation's members. */
      trusted: z.array(z.string().min(1)).default([]),
    })
    .optional(),
});

export const endpointWatchSchema = z.strictObject({
  namespace: z.string().min(1),
  /** Endpoint names or globs; all when absent. */
  names: z.array(z.string().min(1)).default(["*"]),
  github: githubRepo,
  intervalSeconds: z.number().int().min(5).max(3600).default(30),
  /** Transitions that add a comment to the card. */
  commentOn: z.array(z.string()).default(["failed", "updateFailed", "running"]),
  /** Transitions that send a dispatch. */
  dispatchOn: z.array(z.string()).default(["failed", "updateFailed"]),
  dispatchEventType: eventTypeText.default("hf.endpoint.failed"),
});

/** Hub usernames: letters, digits, `-`, `_` and `.` (the Hub's own rule is no stricter). */
const hubUserName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/, "a Hub username (letters, digits, '-', '_', '.')");
/** GitHub's rule for logins: 1-39 letters, digits or single hyphens, not at either end. */
const githubLogin = z
  .string()
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/,
    "a GitHub login without @ (letters, digits and single hyphens, at most 39)",
  );

export const configSchema = z.strictObject({
  version: z.literal(1).default(1),
  routes: z.array(routeSchema).default([]),
  endpoints: z.array(endpointWatchSchema).default([]),
  /**
   * Days a delivery (and so its dedupe key) is kept once its job is done; a Hub retry or Replay of an
   * older one is treated as new. Live and dead-lettered jobs are kept whatever their age.
   */
  retentionDays: z.number().int().min(1).max(3650).default(30),
  /**
   * Hub username → GitHub login, shown as plain text beside the Hub name in mirrored issues and
   * comments (never as a mention, so nobody is notified by the bridge).
   */
  users: z.record(hubUserName, githubLogin).default({}),
  /** The operator console (the page's private parts, `/api/…`). */
  console: z
    .strictObject({
      /** Hub user or org names whose users may sign in with Hugging Face and use the console. */
      allow: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)).default([]),
    })
    .optional(),
  /** One GitHub issue ("hf-github-bridge needs attention") kept in this repo while the bridge is unwell. */
  alerts: z.strictObject({ github: githubRepo }).optional(),
});

export type BridgeConfig = z.infer<typeof configSchema>;
export type Route = z.infer<typeof routeSchema>;
export type EndpointWatch = z.infer<typeof endpointWatchSchema>;
