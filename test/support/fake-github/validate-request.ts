import type { ErrorObject } from "ajv";
import { compileOperationValidators } from "./compile-operation-validators.ts";
import type { DescribedOperation, GitHubDescription } from "./load-github-description.ts";

export interface RequestRejection {
  /** Which part of the request the description rejects. */
  part: "path" | "query" | "body";
  errors: ErrorObject[];
}

/** Checks path parameters, declared query parameters and the JSON body against the description. */
export function validateRequest(
  description: GitHubDescription,
  operation: DescribedOperation,
  pathParams: Record<string, string>,
  query: URLSearchParams,
  body: unknown,
): RequestRejection | undefined {
  const validators = compileOperationValidators(description.validators, operation);
  if (!validators.path({ ...pathParams })) {
    return { part: "path", errors: validators.path.errors ?? [] };
  }
  if (!validators.query(Object.fromEntries(query))) {
    return { part: "query", errors: validators.query.errors ?? [] };
  }
  if (validators.body === undefined) return undefined;
  if (body === undefined) {
    if (!operation.requestBodyRequired) return undefined;
    return {
      part: "body",
      errors: [
        {
          instancePath: "",
          schemaPath: "#/requestBody",
          keyword: "required",
          params: {},
          message: "the description requires a JSON body",
        },
      ],
    };
  }
  if (!validators.body(body)) return { part: "body", errors: validators.body.errors ?? [] };
  return undefined;
}
