import type { z } from "zod";
import { valueAt } from "./value-at.ts";

/** One line per problem: where it is, the value found there (quoted), and what was expected. */
export function describeZodError(error: z.ZodError, input: unknown, rootName: string): string[] {
  return error.issues.map((issue) => {
    const where = [rootName, ...issue.path.map(String)].join(".");
    const found = valueAt(input, issue.path);
    const shown = found === undefined ? "nothing" : quote(found);
    return `${where}: ${issue.message} (found ${shown})`;
  });
}

const MAX_QUOTED_LENGTH = 80;

export function quote(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : safeStringify(value);
  return text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
