import { unpackText } from "./unpack-text.ts";

/**
 * A text column read back: the packed bytes when the row has them, else the plain text a row written
 * before packing holds.
 */
export function storedText(packed: unknown, plain: unknown): string {
  if (packed instanceof Uint8Array) return unpackText(packed);
  return plain as string;
}
