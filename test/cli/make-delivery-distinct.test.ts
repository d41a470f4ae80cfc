import { describe, expect, it } from "vitest";
import { makeDeliveryDistinct } from "../../src/cli/make-delivery-distinct.ts";
import { builtInSampleNames, readSample } from "../../src/cli/read-sample.ts";
import { dedupeKey } from "../../src/events/dedupe-key.ts";
import { parseHubPayload } from "../../src/hf/parse-hub-payload.ts";
import { REPO_ROOT } from "../support/paths.ts";

function acceptedKey(payload: Record<string, unknown>): string {
  const parsed = parseHubPayload(payload);
  if (parsed.outcome !== "accepted") throw new Error(`${parsed.outcome}: ${parsed.reason}`);
  return dedupeKey(parsed.payload);
}

describe("built-in send-test samples", () => {
  it("cover every scope send-test documents", () => {
    expect(builtInSampleNames()).toEqual([
      "discussion",
      "discussion.comment",
      "repo",
      "repo.config",
      "repo.content",
    ]);
  });

  it.each(builtInSampleNames())("%s is accepted, and each send gets a new dedupe key", (name) => {
    const { payload } = readSample(name, REPO_ROOT);
    const original = acceptedKey(payload);
    const first = acceptedKey(makeDeliveryDistinct(payload));
    const second = acceptedKey(makeDeliveryDistinct(payload));
    expect(new Set([original, first, second]).size).toBe(3);
    expect(acceptedKey(payload)).toBe(original);
  });

  it("keeps discussion and comment URLs consistent with the new ids", () => {
    const distinct = makeDeliveryDistinct(readSample("discussion", REPO_ROOT).payload);
    const discussion = distinct.discussion as { num: number; url: { web: string; api: string } };
    const comment = distinct.comment as { id: string; url: { web: string } };
    expect(discussion.url.web).toBe(
      `https://huggingface.co/openai-community/gpt2/discussions/${discussion.num}`,
    );
    expect(discussion.url.api).toContain(`/discussions/${discussion.num}`);
    expect(comment.url.web).toBe(`${discussion.url.web}#${comment.id}`);
  });
});
