import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACK_MIN_CHARS, packText, TEXT_CODEC } from "../../src/store/pack-text.ts";
import { storedText } from "../../src/store/stored-text.ts";
import { TEXT_DICTIONARY_V1 } from "../../src/store/text-dictionary-v1.ts";
import { unpackText } from "../../src/store/unpack-text.ts";
import { HF_FIXTURES } from "../support/paths.ts";

describe("stored text codec", () => {
  it("keeps the released dictionary byte for byte: rows packed with it need exactly these bytes", () => {
    expect(createHash("sha256").update(TEXT_DICTIONARY_V1).digest("hex")).toBe(
      "0ac16559472d2e76407b3f663f720f1f6310308fc712569931897ac70b1b6399",
    );
  });

  it("round-trips a Hub body under a third of its size, and text that is not JSON", () => {
    const body = readFileSync(join(HF_FIXTURES, "hookdeck-discussion.comment-create.json"), "utf8");
    const packed = packText(body);
    expect(packed[0]).toBe(TEXT_CODEC.deflateDictionaryV1);
    expect(packed.length).toBeLessThan(body.length / 3);
    expect(unpackText(packed)).toBe(body);
    // Random text packs to more than one output chunk, a long run unpacks to many.
    const incompressible = Array.from({ length: 200 }, (_, i) =>
      createHash("sha256").update(String(i)).digest("base64"),
    ).join("");
    expect(packText(incompressible).length).toBeGreaterThan(4096);
    for (const text of ["", "é ✓ 🤗", "x".repeat(100_000), incompressible])
      expect(unpackText(packText(text))).toBe(text);
  });

  it("stores a text shorter than PACK_MIN_CHARS plain, where deflate would save too little", () => {
    const headers = '{"content-type":"application/json","x-webhook-id":"abc123"}';
    expect(headers.length).toBeLessThan(PACK_MIN_CHARS);
    const stored = packText(headers);
    expect([...stored]).toEqual([TEXT_CODEC.plain, ...Buffer.from(headers)]);
    expect(unpackText(stored)).toBe(headers);
    const short = "é ✓ 🤗".repeat(20);
    expect(short.length).toBeLessThan(PACK_MIN_CHARS);
    expect(packText(short)[0]).toBe(TEXT_CODEC.plain);
    expect(unpackText(packText(short))).toBe(short);
    expect(packText("x".repeat(PACK_MIN_CHARS))[0]).toBe(TEXT_CODEC.deflateDictionaryV1);
  });

  it("reads codec 0 as plain UTF-8, a row from before packing as its text, and names an unknown codec", () => {
    expect(unpackText(Buffer.from([TEXT_CODEC.plain, ...Buffer.from("plain ✓")]))).toBe("plain ✓");
    expect(storedText(null, '{"old":true}')).toBe('{"old":true}');
    expect(storedText(packText("new"), "")).toBe("new");
    expect(() => unpackText(Buffer.from([9, 1, 2]))).toThrow(/codec id 9.*newer bridge/);
  });
});
