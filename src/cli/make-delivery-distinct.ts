import { randomBytes } from "node:crypto";

type Json = Record<string, unknown>;

/** Hub object ids are 24 hex characters (MongoDB ObjectIds); commit shas are 40. */
const OBJECT_ID_BYTES = 12;
const SHA_BYTES = 20;
/** Far above real discussion numbers, so a test discussion never lands on a real one's link. */
const TEST_DISCUSSION_NUMBER_BASE = 100_000;

/**
 * A copy of the payload that describes a new change (fresh discussion, comment or commit ids), so the
 * bridge's dedupe key differs and a repeated send-test is processed again instead of being a duplicate.
 * URLs are kept consistent with the new ids.
 */
export function makeDeliveryDistinct(payload: Json): Json {
  const copy = structuredClone(payload);
  const scope = (copy.event as Json | undefined)?.scope;
  const discussion = asObject(copy.discussion);
  const comment = asObject(copy.comment);
  const repo = asObject(copy.repo);
  if (scope === "discussion" && discussion) {
    const oldNum = discussion.num;
    const newNum = TEST_DISCUSSION_NUMBER_BASE + randomBytes(3).readUIntBE(0, 3);
    discussion.id = hex(OBJECT_ID_BYTES);
    discussion.num = newNum;
    renumberUrls(discussion, oldNum, newNum);
    if (comment) renumberUrls(comment, oldNum, newNum);
  }
  if (comment) {
    const oldId = comment.id;
    comment.id = hex(OBJECT_ID_BYTES);
    const url = asObject(comment.url);
    if (url && typeof url.web === "string" && typeof oldId === "string") {
      url.web = url.web.replace(oldId, String(comment.id));
    }
  }
  if (scope === "repo.content" && Array.isArray(copy.updatedRefs)) {
    const mainSha = hex(SHA_BYTES);
    for (const ref of copy.updatedRefs as Json[]) {
      if (ref.newSha !== null)
        ref.newSha = ref.ref === "refs/heads/main" ? mainSha : hex(SHA_BYTES);
    }
    if (repo) repo.headSha = mainSha;
  } else if (typeof scope === "string" && scope.startsWith("repo") && repo) {
    repo.headSha = hex(SHA_BYTES);
  }
  return copy;
}

function renumberUrls(object: Json, oldNum: unknown, newNum: number): void {
  const url = asObject(object.url);
  if (!url) return;
  for (const key of ["web", "api"]) {
    const value = url[key];
    if (typeof value === "string") {
      url[key] = value.replace(`/discussions/${String(oldNum)}`, `/discussions/${newNum}`);
    }
  }
}

function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}
