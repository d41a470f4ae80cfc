import { readFixture } from "../../support/fixtures.ts";

/** The Hub repo of the composed fixtures: model `some-user/some-repo`. */
const REPO_WEB = "https://huggingface.co/some-user/some-repo";
export const FIXTURE_REPO_ID = "6366c000a2abcdf2fd69a080";
const DISCUSSION_ID_PREFIX = "6398";
const COMMENT_ID_PREFIX = "6399";

/** A discussion opened on some-user/some-repo, numbered `num`. */
export function discussionOpened(num: number): Record<string, unknown> {
  const payload = readFixture("composed-discussion-create-plain-discussion.json");
  return { ...payload, discussion: discussionOf(payload.discussion, num, false) };
}

/** Comment `n` on discussion `num` of some-user/some-repo. */
export function commentCreated(num: number, n: number, content?: string): Record<string, unknown> {
  const payload = readFixture("composed-discussion.comment-create-on-pr.json");
  const id = commentId(num, n);
  return {
    ...payload,
    discussion: discussionOf(payload.discussion, num, false),
    comment: {
      ...(payload.comment as Record<string, unknown>),
      id,
      content: content ?? `Comment ${n} on discussion ${num}`,
      url: { web: `${REPO_WEB}/discussions/${num}#${id}` },
    },
  };
}

/** A push to some-user/some-repo that updated the given refs, each to its own new commit. */
export function pushed(refs: string[], salt = 0): Record<string, unknown> {
  const payload = readFixture("composed-repo.content-update-main-and-new-tag.json");
  return {
    ...payload,
    updatedRefs: refs.map((ref, index) => ({
      ref,
      oldSha: null,
      newSha: (salt * 100_000 + index).toString(16).padStart(40, "a"),
    })),
  };
}

function discussionOf(template: unknown, num: number, isPullRequest: boolean) {
  const { changes: _changes, ...discussion } = template as Record<string, unknown>;
  return {
    ...discussion,
    id: objectId(DISCUSSION_ID_PREFIX, num),
    num,
    title: `Discussion ${num}`,
    isPullRequest,
    url: {
      web: `${REPO_WEB}/discussions/${num}`,
      api: `https://huggingface.co/api/models/some-user/some-repo/discussions/${num}`,
    },
  };
}

/** The Hub id of comment `n` on discussion `num`, as `commentCreated` sends it. */
export function commentId(num: number, n: number): string {
  return objectId(COMMENT_ID_PREFIX, num * 1000 + n);
}

/** A 24-hex-character Hub object id, distinct per number. */
function objectId(prefix: string, n: number): string {
  return `${prefix}${n.toString(16).padStart(20, "0")}`;
}
