import type { Fault, FaultAction, FaultMatch, ScriptedRequest } from "./types.ts";

export interface ArmedFault {
  fault: Fault;
  remaining: number;
  /** Requests matched so far; a script's `index`. */
  matched: number;
}

/**
 * The action of the first armed fault that matches the request, with one use consumed; spent faults
 * are removed. A script decides for each request it matches, and may decide to do nothing.
 */
export function takeFault(
  armed: ArmedFault[],
  request: Omit<ScriptedRequest, "index">,
): FaultAction | undefined {
  const index = armed.findIndex(({ fault: { match } }) => matches(match, request));
  const entry = armed[index];
  if (!entry) return undefined;
  entry.remaining -= 1;
  entry.matched += 1;
  if (entry.remaining <= 0) armed.splice(index, 1);
  const { fault } = entry;
  return fault.kind === "script" ? fault.decide({ ...request, index: entry.matched - 1 }) : fault;
}

function matches(match: FaultMatch, request: Omit<ScriptedRequest, "index">): boolean {
  const { method, path, operationId } = request;
  if (match.method !== undefined && match.method.toUpperCase() !== method) return false;
  if (match.operationId !== undefined && match.operationId !== operationId) return false;
  if (typeof match.path === "string" && match.path !== path) return false;
  if (match.path instanceof RegExp && !match.path.test(path)) return false;
  return true;
}
