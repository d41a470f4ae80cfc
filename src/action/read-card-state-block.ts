import type { z } from "zod";

/**
 * The last state block `block` (a global pattern whose group is the base64url JSON) matches in a card
 * body, checked against `schema`; undefined when there is none or it does not decode, so what the card
 * tracks counts as new.
 */
export function readCardStateBlock<T>(
  body: string,
  block: RegExp,
  schema: z.ZodType<T>,
): T | undefined {
  const encoded = [...body.matchAll(block)].at(-1)?.[1];
  if (encoded === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
