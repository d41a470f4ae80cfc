import { unpackText } from "../unpack-text.ts";

/**
 * A jsonb column read back: the packed text parsed when the row has it, else the jsonb value a row
 * written before packing holds (the driver has parsed it already).
 */
export function postgresStoredJson(packed: unknown, plain: unknown): unknown {
  if (packed instanceof Uint8Array) return JSON.parse(unpackText(packed));
  return plain;
}
