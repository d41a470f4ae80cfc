import type { Fault } from "./types.ts";

export interface ArmedFault {
  fault: Fault;
  remaining: number;
}

/** The first armed fault that matches the request, with one use consumed; spent faults are removed. */
export function takeFault(
  armed: ArmedFault[],
  method: string,
  path: string,
  operationId: string | undefined,
): Fault | undefined {
  const index = armed.findIndex(({ fault: { match } }) => {
    if (match.method !== undefined && match.method.toUpperCase() !== method) return false;
    if (match.operationId !== undefined && match.operationId !== operationId) return false;
    if (typeof match.path === "string" && match.path !== path) return false;
    if (match.path instanceof RegExp && !match.path.test(path)) return false;
    return true;
  });
  const entry = armed[index];
  if (!entry) return undefined;
  entry.remaining -= 1;
  if (entry.remaining <= 0) armed.splice(index, 1);
  return entry.fault;
}
