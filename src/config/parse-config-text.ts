import { LineCounter, parseDocument } from "yaml";
import type { LocatedConfigProblem } from "./config-error.ts";
import { type ConfigProblem, formatConfigProblem } from "./config-problem.ts";
import { type BridgeConfig, configSchema } from "./config-schema.ts";
import { describeConfigIssue } from "./describe-config-issue.ts";
import { explainYamlError } from "./explain-yaml-error.ts";
import { findSecrets } from "./find-secrets.ts";
import { yamlPosition } from "./yaml-position.ts";

type ParsedConfig =
  | { config: BridgeConfig }
  | { problems: string[]; located: LocatedConfigProblem[] };

/**
 * Parses and validates the text of a config file. Every problem is reported, not just the first, each
 * as `<file>:<line>:<col> <where>: <what> (found <value>) — fix: <how>`, in file order.
 */
export function parseConfigText(text: string, file: string): ParsedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const explained = doc.errors.map((error) => explainYamlError(error, text, lineCounter));
    return sortAndFormat(file, explained);
  }

  const secrets = findSecrets(doc);
  const problems: ConfigProblem[] = secrets.map((secret) => ({
    ...yamlPosition(doc, lineCounter, secret.path, secret.part),
    where: formatPath(secret.path),
    message: secret.message,
    fix: secret.fix,
  }));

  const input: unknown = doc.toJS() ?? {};
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const descriptions = result.error.issues.flatMap((issue) =>
      describeConfigIssue(issue, input, configSchema),
    );
    for (const description of descriptions) {
      // A secret is reported once, as a secret, never as an unknown key that quotes it.
      if (secrets.some((secret) => startsWith(description.path, secret.path))) continue;
      problems.push({
        ...yamlPosition(doc, lineCounter, description.path, description.part),
        where: formatPath(description.path),
        message: description.message,
        fix: description.fix,
      });
    }
  }
  if (problems.length > 0 || !result.success) return sortAndFormat(file, problems);
  return { config: result.data };
}

/** In file order; one mistake often trips several parser errors, so each line is reported once. */
function sortAndFormat(
  file: string,
  problems: ConfigProblem[],
): { problems: string[]; located: LocatedConfigProblem[] } {
  const byLine = new Map<string, LocatedConfigProblem>();
  for (const problem of problems.sort((a, b) => a.line - b.line || a.col - b.col)) {
    byLine.set(formatConfigProblem(file, problem), { ...problem, file });
  }
  return { problems: [...byLine.keys()], located: [...byLine.values()] };
}

/** `routes[0].github`, the way the README and the JSON Schema name config keys. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path
    .map((segment, index) =>
      typeof segment === "number"
        ? `[${segment}]`
        : index === 0
          ? String(segment)
          : `.${String(segment)}`,
    )
    .join("");
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.every((segment, index) => path[index] === segment);
}
