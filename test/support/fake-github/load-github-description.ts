import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createValidatorCache, type ValidatorCache } from "./compile-operation-validators.ts";

export interface DescribedParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: Record<string, unknown>;
}

export interface DescribedOperation {
  method: string;
  template: string;
  segments: string[];
  operationId: string;
  parameters: DescribedParameter[];
  requestBodySchema: Record<string, unknown> | undefined;
  requestBodyRequired: boolean;
}

export interface GitHubDescription {
  operations: DescribedOperation[];
  /** Compiled per operation on first use and shared by every fake in the process. */
  validators: ValidatorCache;
}

const DESCRIPTION_MODULE = "@octokit/openapi/generated/api.github.com.deref.json";
const HTTP_METHODS = new Set(["get", "put", "post", "patch", "delete", "head", "options"]);

/**
 * Parsing the 70 MB description takes most of a second and hundreds of MB, so every fake in a process
 * shares one parse and one set of compiled validators (the one deliberate module-level cache here). Only what request validation needs is
 * kept; the response schemas are dropped so the bulk of the parse can be collected.
 */
let cached: Promise<GitHubDescription> | undefined;

export function loadGitHubDescription(): Promise<GitHubDescription> {
  cached ??= readDescription();
  return cached;
}

async function readDescription(): Promise<GitHubDescription> {
  const file = createRequire(import.meta.url).resolve(DESCRIPTION_MODULE);
  const document = JSON.parse(await readFile(file, "utf8")) as {
    paths: Record<string, Record<string, RawOperation>>;
  };
  const operations: DescribedOperation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const body = operation.requestBody;
      operations.push({
        method: method.toUpperCase(),
        template,
        segments: template.split("/").slice(1),
        operationId: operation.operationId,
        parameters: (operation.parameters ?? []).map((parameter) => ({
          name: parameter.name,
          in: parameter.in,
          required: parameter.required ?? false,
          schema: parameter.schema ?? {},
        })),
        requestBodySchema: body?.content?.["application/json"]?.schema,
        requestBodyRequired: body?.required ?? false,
      });
    }
  }
  return { operations, validators: createValidatorCache() };
}

interface RawOperation {
  operationId: string;
  parameters?: Array<{
    name: string;
    in: DescribedParameter["in"];
    required?: boolean;
    schema?: Record<string, unknown>;
  }>;
  requestBody?: {
    required?: boolean;
    content?: Record<string, { schema?: Record<string, unknown> }>;
  };
}
