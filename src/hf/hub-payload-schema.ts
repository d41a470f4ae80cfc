import { z } from "zod";

// Only the fields the bridge reads are checked; `looseObject` keeps every other field, because the
// Hub adds fields over time and strict validation of unused ones once broke HF's own receiver.

export const HUB_REPO_TYPES = ["model", "dataset", "space"] as const;
export type HubRepoType = (typeof HUB_REPO_TYPES)[number];

const url = z.looseObject({ web: z.string(), api: z.string().optional() });

const hubRepoSchema = z.looseObject({
  type: z.enum(HUB_REPO_TYPES),
  name: z.string().min(1),
  id: z.string().min(1),
  private: z.boolean(),
  url: url.optional(),
  // The 2022 pre-release shape has `author` instead of `owner`; neither is required.
  owner: z.looseObject({ id: z.string() }).optional(),
  headSha: z.string().optional(),
  subdomain: z.string().optional(),
});

const hubDiscussionSchema = z.looseObject({
  id: z.string().min(1),
  num: z.number().int().nonnegative(),
  title: z.string(),
  url: url.optional(),
  status: z.string(),
  author: z.looseObject({ id: z.string() }).optional(),
  isPullRequest: z.boolean(),
  changes: z.looseObject({ base: z.string(), mergeCommitId: z.string().optional() }).optional(),
});

const hubCommentSchema = z.looseObject({
  id: z.string().min(1),
  author: z.looseObject({ id: z.string() }).optional(),
  // Absent when hidden; the docs say `undefined`, some senders put `null`: both mean "no text".
  content: z
    .string()
    .nullish()
    .transform((value) => value ?? undefined),
  hidden: z.boolean(),
  url: z.looseObject({ web: z.string() }).optional(),
});

const hubUpdatedRefSchema = z.looseObject({
  ref: z.string().min(1),
  oldSha: z.string().nullable(),
  newSha: z.string().nullable(),
});

export const hubPayloadV3Schema = z.looseObject({
  event: z.looseObject({ action: z.string().min(1), scope: z.string().min(1) }),
  repo: hubRepoSchema,
  webhook: z.looseObject({ id: z.string().min(1), version: z.literal(3) }),
  discussion: hubDiscussionSchema.optional(),
  comment: hubCommentSchema.optional(),
  updatedRefs: z.array(hubUpdatedRefSchema).optional(),
  updatedConfig: z.record(z.string(), z.unknown()).optional(),
  movedTo: z
    .looseObject({ name: z.string(), owner: z.looseObject({ id: z.string() }).optional() })
    .optional(),
});

export type HubRepo = z.infer<typeof hubRepoSchema>;
export type HubDiscussion = z.infer<typeof hubDiscussionSchema>;
export type HubComment = z.infer<typeof hubCommentSchema>;
export type HubPayloadV3 = z.infer<typeof hubPayloadV3Schema>;
