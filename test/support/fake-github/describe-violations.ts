import type { Violation } from "./types.ts";

/** One readable block per violation: the request, why it was rejected, and Ajv's findings. */
export function describeViolations(violations: Violation[]): string {
  return violations
    .map((violation, index) => {
      const operation = violation.operationId ? ` (${violation.operationId})` : "";
      const findings = violation.errors.map(
        (error) => `    ${error.instancePath || "(root)"} ${error.message ?? error.keyword}`,
      );
      return [
        `${index + 1}. ${violation.method} ${violation.path}${operation}: ${violation.reason}`,
        `    body: ${JSON.stringify(violation.body)?.slice(0, 300) ?? "none"}`,
        ...findings,
      ].join("\n");
    })
    .join("\n");
}
