import { createHash } from "node:crypto";

/** A short fingerprint of text the bridge wrote, kept in link state to tell "unchanged" from "edited". */
export function hashText(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
