import { githubError } from "./github-error.ts";
import type { Reply } from "./types.ts";

/** GitHub rejects issue and comment bodies above 65,536 characters with a 422. */
export const MAX_BODY_CHARACTERS = 65_536;

/** GitHub's 422 for an over-long body, or undefined when the body fits. Counts code points. */
export function checkBodyLength(
  body: unknown,
  resource: "Issue" | "IssueComment",
): Reply | undefined {
  if (typeof body !== "string" || [...body].length <= MAX_BODY_CHARACTERS) return undefined;
  return githubError(422, "Validation Failed", [
    {
      resource,
      code: "unprocessable",
      field: "body",
      message: `Body is too long (maximum is ${MAX_BODY_CHARACTERS} characters)`,
    },
  ]);
}
