import { inflateRawSync } from "node:zlib";
import { DEFLATE_V1, TEXT_CODEC } from "./pack-text.ts";

/** The text packText packed, by the codec id in its first byte. */
export function unpackText(stored: Uint8Array): string {
  const codec = stored[0];
  const packed = stored.subarray(1);
  if (codec === TEXT_CODEC.deflateDictionaryV1) {
    return inflateRawSync(packed, DEFLATE_V1).toString("utf8");
  }
  if (codec === TEXT_CODEC.plain) return Buffer.from(packed).toString("utf8");
  throw new Error(
    `stored text has codec id ${String(codec)}, which this bridge does not know (it knows ${Object.values(TEXT_CODEC).join(", ")}); the row was written by a newer bridge, so run that version`,
  );
}
