import { describe, expect, it } from "vitest";
import { toGitHubRepoRef } from "../../src/rules/to-github-repo-ref.ts";

describe("toGitHubRepoRef", () => {
  it("splits owner/repo", () => {
    expect(toGitHubRepoRef("acme/models")).toStrictEqual({ owner: "acme", repo: "models" });
  });

  it.each(["acme", "acme/", "/models", "acme/models/extra"])(
    "refuses %j, quoting it and saying how to write it",
    (fullName) => {
      expect(() => toGitHubRepoRef(fullName)).toThrow(
        `github ${JSON.stringify(fullName)} is not "owner/repo"; write it as acme/models`,
      );
    },
  );
});
