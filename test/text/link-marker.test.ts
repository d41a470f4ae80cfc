import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readLinkMarker, renderLinkMarker } from "../../src/text/link-marker.ts";

const KEY = "test-marker-secret";

describe("link marker", () => {
  it("round-trips keys with colons, slashes, dashes and dots", () => {
    const linkKey = "hub-discussion:acme/my-model.v2:12";
    const marker = renderLinkMarker(linkKey, KEY);
    expect(marker).toMatch(/^<!-- hf-bridge:link=.*;sig=[0-9a-f]{16} -->$/);
    expect(readLinkMarker(`some body\n\n${marker}`, KEY)).toBe(linkKey);
  });

  it("round-trips any well-formed key and never lets it break out of the comment", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: "grapheme" }), (linkKey) => {
        const marker = renderLinkMarker(linkKey, KEY);
        expect(marker.indexOf("-->")).toBe(marker.length - 3);
        expect(marker).not.toMatch(/[\r\n]/);
        expect(readLinkMarker(marker, KEY)).toBe(linkKey);
      }),
    );
  });

  it("encodes a key that tries to close the comment", () => {
    const marker = renderLinkMarker("evil --> <b>x</b>\n", KEY);
    expect(marker.match(/-->/g)).toHaveLength(1);
    expect(readLinkMarker(marker, KEY)).toBe("evil --> <b>x</b>\n");
  });

  it("rejects a marker signed with another key", () => {
    expect(readLinkMarker(renderLinkMarker("hub-discussion:a/b:1", "other"), KEY)).toBeUndefined();
  });

  it("rejects a marker whose key was altered after signing", () => {
    const marker = renderLinkMarker("hub-discussion:a/b:1", KEY);
    expect(readLinkMarker(marker.replace(":1;", ":2;"), KEY)).toBeUndefined();
  });

  it("rejects a typed-in marker with a made-up signature", () => {
    expect(
      readLinkMarker("<!-- hf-bridge:link=hub-discussion:a/b:1;sig=0123456789abcdef -->", KEY),
    ).toBeUndefined();
  });

  it("prefers the last valid marker, the one the bridge appends", () => {
    const body = `${renderLinkMarker("first", KEY)}\ntext\n${renderLinkMarker("second", KEY)}`;
    expect(readLinkMarker(body, KEY)).toBe("second");
  });

  it("returns undefined for a body with no marker", () => {
    expect(readLinkMarker("just text <!-- a comment -->", KEY)).toBeUndefined();
  });

  it("refuses an empty link key or marker key with a message that says how to fix it", () => {
    expect(() => renderLinkMarker("", KEY)).toThrow(/linkKey "" is empty.*pass the link key/);
    expect(() => renderLinkMarker("k", "")).toThrow(/markerKey is empty; set/);
    expect(() => readLinkMarker("body", "")).toThrow(/markerKey is empty/);
  });
});
