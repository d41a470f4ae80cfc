import { Ajv, type ValidateFunction } from "ajv";
import ajvFormats from "ajv-formats";
import type { DescribedOperation } from "./load-github-description.ts";
import { toJsonSchema } from "./to-json-schema.ts";

export interface OperationValidators {
  /** Path and query parameters, as strings coerced to the declared types. */
  path: ValidateFunction;
  query: ValidateFunction;
  body: ValidateFunction | undefined;
}

export interface ValidatorCache {
  bodies: Ajv;
  parameters: Ajv;
  byOperation: Map<string, OperationValidators>;
}

// ajv-formats is CommonJS: its ESM default import is `module.exports`, which carries `.default`.
const addFormats = ajvFormats.default;

export function createValidatorCache(): ValidatorCache {
  const bodies = new Ajv({ strict: false, allErrors: true });
  const parameters = new Ajv({ strict: false, allErrors: true, coerceTypes: true });
  addFormats(bodies);
  addFormats(parameters);
  return { bodies, parameters, byOperation: new Map() };
}

/** Compiles an operation's validators on first use; the description has hundreds we never call. */
export function compileOperationValidators(
  cache: ValidatorCache,
  operation: DescribedOperation,
): OperationValidators {
  const known = cache.byOperation.get(operation.operationId);
  if (known) return known;
  const formats = new Set<string>();
  const parameterSchema = (location: "path" | "query") => {
    const declared = operation.parameters.filter((parameter) => parameter.in === location);
    return toJsonSchema(
      {
        type: "object",
        properties: Object.fromEntries(declared.map((p) => [p.name, p.schema])),
        required: declared.filter((p) => p.required).map((p) => p.name),
      },
      formats,
    ) as Record<string, unknown>;
  };
  const pathSchema = parameterSchema("path");
  const querySchema = parameterSchema("query");
  const bodySchema =
    operation.requestBodySchema === undefined
      ? undefined
      : (toJsonSchema(operation.requestBodySchema, formats) as Record<string, unknown>);
  for (const format of formats) registerUnknownFormat(cache.bodies, format);
  for (const format of formats) registerUnknownFormat(cache.parameters, format);
  const compiled: OperationValidators = {
    path: cache.parameters.compile(pathSchema),
    query: cache.parameters.compile(querySchema),
    body: bodySchema === undefined ? undefined : cache.bodies.compile(bodySchema),
  };
  cache.byOperation.set(operation.operationId, compiled);
  return compiled;
}

/** GitHub's description uses OpenAPI formats (`int64`, `repo.nwo`) that only annotate. */
function registerUnknownFormat(ajv: Ajv, format: string): void {
  if (ajv.formats[format] === undefined) ajv.addFormat(format, true);
}
