import type { DescribedOperation, GitHubDescription } from "./load-github-description.ts";

export interface OperationMatch {
  operation: DescribedOperation;
  pathParams: Record<string, string>;
}

/**
 * Finds the operation whose path template fits the request. When several fit
 * (`/issues/comments` and `/issues/{issue_number}`), the one with a literal segment earliest wins,
 * which is how GitHub's router resolves them.
 */
export function matchOperation(
  description: GitHubDescription,
  method: string,
  path: string,
): OperationMatch | undefined {
  const segments = path.split("/").slice(1);
  let best: { operation: DescribedOperation; rank: string } | undefined;
  for (const operation of description.operations) {
    if (operation.method !== method || operation.segments.length !== segments.length) continue;
    const rank = rankTemplate(operation.segments, segments);
    if (rank !== undefined && (best === undefined || rank > best.rank)) best = { operation, rank };
  }
  if (!best) return undefined;
  const pathParams: Record<string, string> = {};
  best.operation.segments.forEach((templateSegment, index) => {
    const name = parameterName(templateSegment);
    if (name !== undefined) pathParams[name] = decodeURIComponent(segments[index] ?? "");
  });
  return { operation: best.operation, pathParams };
}

/** "1" per literal segment, "0" per parameter, so string order prefers earlier literals. */
function rankTemplate(template: string[], actual: string[]): string | undefined {
  let rank = "";
  for (const [index, templateSegment] of template.entries()) {
    const segment = actual[index] ?? "";
    if (parameterName(templateSegment) !== undefined) {
      if (segment === "") return undefined;
      rank += "0";
    } else if (templateSegment === segment) {
      rank += "1";
    } else {
      return undefined;
    }
  }
  return rank;
}

function parameterName(templateSegment: string): string | undefined {
  return /^\{([^}]+)\}$/.exec(templateSegment)?.[1];
}
