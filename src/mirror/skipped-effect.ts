import type { ExecutedEffect } from "../jobs/executor.ts";

export function skippedEffect(detail: string): ExecutedEffect {
  return { status: "skipped", detail };
}
