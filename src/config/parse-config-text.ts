import { LineCounter, parseDocument, type YAMLError } from "yaml";
import { type ConfigProblem, formatConfigProblem } from "./config-problem.ts";
import { type BridgeConfig, configSchema } from "./config-schema.ts";
import { describeConfigIssue } from "./describe-config-issue.ts";
import { findSecrets } from "./find-secrets.ts";
import { yamlPosition } from "./yaml-position.ts";

export type ParsedConfig = { config: BridgeConfig } | { problems: string[] };

const YAML_FIXES: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: "indent with spaces; YAML does not allow tabs",
  DUPLICATE_KEY: "keep one of the two keys",
  BLOCK_AS_IMPLICIT_KEY:
    'quote the value, e.g. key: "a: b", or indent the nested keys on new lines',
  MULTILINE_IMPLICIT_KEY: "put the key and its value on one line, or quote the value",
  BAD_INDENT: "align the line with its siblings (two spaces per level)",
  MISSING_CHAR: "add the missing closing bracket or quote",
};
const DEFAULT_YAML_FIX = "check the indentation and quoting on that line";

/**
 * Parses and validates the text of a config file. Every problem is reported, not just the first, each
 * as `<file>:<line>:<col> <where>: <what> (found <value>) — fix: <how>`, in file order.
 */
export function parseConfigText(text: string, file: string): ParsedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: sortAndFormat(
        file,
        doc.errors.map((error) => yamlProblem(error, text, lineCounter)),
      ),
    };
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
  if (problems.length > 0 || !result.success) return { problems: sortAndFormat(file, problems) };
  return { config: result.data };
}

function yamlProblem(error: YAMLError, text: string, lineCounter: LineCounter): ConfigProblem {
  const position = lineCounter.linePos(error.pos[0]);
  const lineText = text.split(/\r?\n/)[position.line - 1] ?? "";
  return {
    ...position,
    where: "YAML syntax",
    message: `${error.message.split("\n")[0]} (found ${JSON.stringify(lineText.trim())})`,
    fix: YAML_FIXES[error.code] ?? DEFAULT_YAML_FIX,
  };
}

function sortAndFormat(file: string, problems: ConfigProblem[]): string[] {
  return problems
    .sort((a, b) => a.line - b.line || a.col - b.col)
    .map((problem) => formatConfigProblem(file, problem));
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
