import type { z } from "zod";
import { quote } from "../util/describe-zod-error.ts";
import { valueAt } from "../util/value-at.ts";
import { objectKeysAt } from "./object-keys-at.ts";
import { secretAdvice } from "./secret-advice.ts";
import { suggestClosest } from "./suggest-closest.ts";

interface IssueDescription {
  path: PropertyKey[];
  /** Which part of the YAML to point at: the key (unknown keys) or its value. */
  part: "key" | "value";
  message: string;
  fix: string;
}

/** What a key means, for messages about a value of the wrong type. */
const KEY_MEANINGS: Readonly<Record<string, string>> = {
  hub: 'a Hub repo name or glob such as "acme/*"',
  github: 'a GitHub repository as "owner/repo"',
  types: "a list of Hub repo types",
  discussions: "true, false or a mapping of discussion options",
};

/** A value that works, shown in every fix so users can copy it. */
const KEY_EXAMPLES: Readonly<Record<string, string>> = {
  version: "1",
  routes: '[{ hub: "acme/*", github: acme/app }]',
  endpoints: "[{ namespace: acme, github: acme/app }]",
  hub: '"acme/*"',
  github: "acme/app",
  types: "[model, dataset]",
  discussions: "true",
  commits: "checks",
  dispatch: "[{ refs: [refs/heads/main] }]",
  refs: "[refs/heads/main]",
  eventType: "hf.model.updated",
  workflow: "sync.yml",
  workflowRef: "main",
  inputs: "{ model: my-model }",
  namespace: "acme",
  names: '["*"]',
  intervalSeconds: "30",
  commentOn: "[failed, running]",
  dispatchOn: "[failed]",
  dispatchEventType: "hf.endpoint.failed",
  titleTemplate: '"[Hub] {{title}}"',
  labels: "{ all: huggingface }",
};

const TYPE_PHRASES: Readonly<Record<string, string>> = {
  string: "text",
  boolean: "true or false",
  number: "a number",
  int: "a whole number",
  array: "a list",
  object: "a mapping of keys",
};

/** Turns one zod issue on the parsed YAML into problems that say where, what was found, and the fix. */
export function describeConfigIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  schema: z.ZodType,
  basePath: readonly PropertyKey[] = [],
): IssueDescription[] {
  const path = [...basePath, ...issue.path];
  const key = lastKey(path);
  const found = valueAt(input, path);
  const shown = found === undefined ? "nothing" : quoteRedacted(found);
  const example = key === undefined ? undefined : KEY_EXAMPLES[key];
  const withExample = (fix: string) => (example ? `${fix}, e.g. ${key}: ${example}` : fix);
  const value = (message: string, fix: string): IssueDescription[] => [
    { path, part: "value", message: `${message} (found ${shown})`, fix },
  ];

  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((unknown) => unknownKey(path, unknown, schema));
    case "invalid_type": {
      if (found === undefined) {
        return value("required", example ? `add ${key}: ${example}` : `add ${String(key)}`);
      }
      const expected = (key && KEY_MEANINGS[key]) ?? typePhrase(issue.expected);
      return value(`expected ${expected}`, withExample(`write ${typePhrase(issue.expected)}`));
    }
    case "invalid_value": {
      const allowed = issue.values.map((option) => quote(option)).join(", ");
      if (issue.values.length === 1) {
        return value(`expected ${allowed}`, `write ${String(key)}: ${String(issue.values[0])}`);
      }
      const options = issue.values.map(String);
      const closest = typeof found === "string" ? suggestClosest(found, options) : undefined;
      const fix = closest ? `did you mean "${closest}"?` : `use one of ${options.join(", ")}`;
      return value(`expected one of ${allowed}`, fix);
    }
    case "invalid_format":
      return value(
        issue.format === "regex" ? issue.message : `expected ${issue.format}`,
        key === "github"
          ? "write it as owner/repo, e.g. acme/app"
          : withExample("correct the value"),
      );
    case "too_small":
      return value(...boundProblem("at least", issue.origin, issue.minimum, withExample));
    case "too_big":
      return value(...boundProblem("at most", issue.origin, issue.maximum, withExample));
    case "invalid_union":
      return unionProblems(issue, found, input, schema, path, value);
    case "invalid_key": {
      // The key itself is wrong (e.g. a workflow input id): point at it and say what a key must be.
      const reason = issue.issues.map((inner) => inner.message).join("; ");
      const fix = (issue.issues[0] as { params?: { fix?: unknown } } | undefined)?.params?.fix;
      return [
        {
          path,
          part: "key",
          message: `key ${quote(String(key))}: ${reason}`,
          fix: typeof fix === "string" ? fix : "rename the key",
        },
      ];
    }
    case "custom": {
      // The config schema's own refinements carry their fix; a bare one gets the generic advice.
      const fix = (issue.params as { fix?: unknown } | undefined)?.fix;
      return value(issue.message, typeof fix === "string" ? fix : withExample("correct the value"));
    }
    default:
      return value(issue.message, withExample("correct the value"));
  }
}

function unknownKey(path: PropertyKey[], unknown: string, schema: z.ZodType): IssueDescription {
  const known = objectKeysAt(schema, path);
  const closest = suggestClosest(unknown, known);
  const allowed = `keys allowed here: ${known.join(", ")}`;
  return {
    path: [...path, unknown],
    part: "key",
    message: `unknown key "${unknown}"`,
    fix: closest ? `did you mean "${closest}"? (${allowed})` : `remove it (${allowed})`,
  };
}

/**
 * A union (e.g. `discussions: true` or a mapping) failed: report the branch the user evidently meant,
 * the one whose own type matched the value, so the message is about the inner mistake.
 */
function unionProblems(
  issue: z.core.$ZodIssueInvalidUnion,
  found: unknown,
  input: unknown,
  schema: z.ZodType,
  path: PropertyKey[],
  value: (message: string, fix: string) => IssueDescription[],
): IssueDescription[] {
  const meant = issue.errors.find(
    (branch) => !branch.some((inner) => inner.code === "invalid_type" && inner.path.length === 0),
  );
  if (meant && found !== null && typeof found === "object") {
    return meant.flatMap((inner) => describeConfigIssue(inner, input, schema, path));
  }
  const expected = issue.errors
    .flatMap((branch) => branch.filter((inner) => inner.code === "invalid_type"))
    .map((inner) => typePhrase((inner as z.core.$ZodIssueInvalidType).expected));
  const key = lastKey(path);
  const phrase = (key && KEY_MEANINGS[key]) ?? expected.join(" or ");
  const example = key === undefined ? undefined : KEY_EXAMPLES[key];
  return value(`expected ${phrase}`, example ? `write e.g. ${key}: ${example}` : `write ${phrase}`);
}

function boundProblem(
  relation: "at least" | "at most",
  origin: string,
  bound: number | bigint,
  withExample: (fix: string) => string,
): [string, string] {
  if (origin === "array") {
    return [`expected ${relation} ${bound} item(s)`, withExample("list the items")];
  }
  if (origin === "string") {
    if (relation === "at least" && Number(bound) === 1) {
      return ["must not be empty", withExample("write a value or remove the key")];
    }
    return [`expected ${relation} ${bound} characters`, withExample("change the length")];
  }
  return [`expected ${relation} ${bound}`, `use a number of ${relation} ${bound}`];
}

function typePhrase(expected: string): string {
  return TYPE_PHRASES[expected] ?? expected;
}

function lastKey(path: readonly PropertyKey[]): string | undefined {
  const key = [...path].reverse().find((segment) => typeof segment === "string");
  return key as string | undefined;
}

/** Quotes a value for a message, blanking anything secret inside it. */
function quoteRedacted(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return secretAdvice(undefined, value) ? '"[redacted]"' : quote(value);
  }
  return quote(
    JSON.parse(
      JSON.stringify(value, (key, inner: unknown) =>
        secretAdvice(key === "" ? undefined : key, inner) ? "[redacted]" : inner,
      ),
    ),
  );
}
