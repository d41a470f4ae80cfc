import { deflateRawSync } from "node:zlib";
import { TEXT_DICTIONARY_V1 } from "./text-dictionary-v1.ts";

/**
 * Output chunk of each zlib call. Node's default, 16 KiB, is a fresh allocation per call that lives
 * until the next garbage collection, so the SQLite thread's malloc arena filled to 64 MiB under load
 * and kept it; 1 KiB comes from Buffer's shared pool, and a longer output takes a few chunks.
 */
const ZLIB_CHUNK_BYTES = 1024;

/**
 * Codec ids, the first byte of every packed text, so a later dictionary or algorithm is added beside
 * these and rows already written stay readable. Rows from before packing hold plain text in their
 * text column and no packed bytes at all.
 */
export const TEXT_CODEC = { plain: 0, deflateDictionaryV1: 1 } as const;

/**
 * Codec 1: raw deflate with a 4 KiB window (the dictionary, 3 KiB, and a body fit; a smaller window
 * allocates less per call) primed with TEXT_DICTIONARY_V1. Chosen over plain deflate and zstd by
 * bytes on the Hub payloads (about 220 bytes for a 1,231-byte comment body, against 431 and 482).
 */
export const DEFLATE_V1 = {
  windowBits: 12,
  chunkSize: ZLIB_CHUNK_BYTES,
  dictionary: Buffer.from(TEXT_DICTIONARY_V1),
} as const;

/**
 * Texts shorter than this are stored plain: deflate saves them at most ~100 bytes (under a tenth of a
 * delivery's ~1.3 kB of store), while each call costs ~10 µs of fixed set-up on the SQLite writer
 * thread, which every ingest waits on (bench/README.md, "the SQLite writer's zlib").
 */
export const PACK_MIN_CHARS = 128;

/** A stored text's bytes: its codec id, then the text packed by that codec (or plain when short). */
export function packText(text: string): Buffer {
  const [codec, bytes] =
    text.length < PACK_MIN_CHARS
      ? [TEXT_CODEC.plain, Buffer.from(text, "utf8")]
      : [TEXT_CODEC.deflateDictionaryV1, deflateRawSync(text, DEFLATE_V1)];
  return Buffer.concat([Buffer.of(codec), bytes]);
}
