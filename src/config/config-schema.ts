import { z } from "zod";
import { HUB_REPO_TYPES } from "../hf/hub-payload-schema.ts";

const githubRepo = z
  .string()
  .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'expected a GitHub repository as "owner/repo"');

const discussionsFeature = z.union([
  z.boolean(),
  z.strictObject({
    enabled: z.boolean().default(true),
    /** Private Hub repos are never mirrored into public GitHub repos unless this is true. */
    mirrorPrivateIntoPublic: z.boolean().default(false),
    titleTemplate: z.string().default("[Hub] {{title}}"),
    /** Mirrored issue body; variables are listed in the README ("Discussion templates"). */
    bodyTemplate: z.string().optional(),
    /** Mirrored comment body; variables are listed in the README ("Discussion templates"). */
    commentTemplate: z.string().optional(),
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

const dispatchRule = z.strictObject({
  /** Which refs trigger it; default the main branch. */
  refs: z.array(z.string().min(1)).default(["refs/heads/main"]),
  /** Hub repo types that trigger it (e.g. only datasets); all the route covers when absent. */
  types: z.array(z.enum(HUB_REPO_TYPES)).min(1).optional(),
  /** Hub repo names or globs (`acme/*-corpus`) that trigger it; all the route covers when absent. */
  repos: z.array(z.string().min(1)).min(1).optional(),
  /** `repository_dispatch` event type; default per repo type (hf.dataset.updated, …). */
  eventType: z.string().min(1).max(100).optional(),
  /** Send `workflow_dispatch` of this workflow file instead of `repository_dispatch`. */
  workflow: z.string().min(1).optional(),
  workflowRef: z.string().min(1).default("main"),
  inputs: z.record(z.string(), z.string()).optional(),
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
  dispatchEventType: z.string().min(1).max(100).default("hf.endpoint.failed"),
});

export const configSchema = z.strictObject({
  version: z.literal(1).default(1),
  routes: z.array(routeSchema).default([]),
  endpoints: z.array(endpointWatchSchema).default([]),
  /**
   * Days a delivery (and so its dedupe key) is kept once its job is done; a Hub retry or Replay of an
   * older one is treated as new. Live and dead-lettered jobs are kept whatever their age.
   */
  retentionDays: z.number().int().min(1).max(3650).default(30),
});

export type BridgeConfig = z.infer<typeof configSchema>;
export type Route = z.infer<typeof routeSchema>;
export type EndpointWatch = z.infer<typeof endpointWatchSchema>;
