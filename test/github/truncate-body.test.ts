import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { truncateBody, truncateUtf8Bytes } from "../../src/github/truncate-body.ts";
import {
  CHECK_RUN_TEXT_MAX_BYTES,
  ISSUE_COMMENT_BODY_MAX_CHARS,
} from "../../src/text/github-limits.ts";
import { readLinkMarker, renderLinkMarker } from "../../src/text/link-marker.ts";
import { parseMarkdown } from "../../src/text/parse-markdown.ts";
import { sanitizeHubText } from "../../src/text/sanitize-hub-text.ts";
import { findLiveEffects } from "../text/find-live-effects.ts";

const KEY = "test-marker-secret";
const MARKER = renderLinkMarker("hub-comment:acme/app:12:abc", KEY);
const SOURCE = "https://huggingface.co/acme/app/discussions/12";
/** The source link is an autolink, so nothing in the URL can read as a mention or reference. */
const NOTICE = `…truncated: the full text is on the Hub: <${SOURCE}>`;

function lastParagraph(markdown: string): string | undefined {
  const last = parseMarkdown(markdown)
    .children.filter((node) => node.type === "paragraph")
    .at(-1);
  return last && markdown.slice(last.position?.start.offset, last.position?.end.offset);
}

describe("truncateBody", () => {
  it("appends the marker and leaves a body that fits alone", () => {
    expect(truncateBody("short body", { marker: MARKER })).toBe(`short body\n\n${MARKER}`);
  });

  it("cuts a 70,000-character body to the comment limit with the notice and the marker intact", () => {
    const body = "A line of mirrored discussion text.\n".repeat(2000);
    expect(body.length).toBe(72_000);
    const out = truncateBody(body, { marker: MARKER, sourceUrl: SOURCE });
    expect(out.length).toBeLessThanOrEqual(ISSUE_COMMENT_BODY_MAX_CHARS);
    expect(out.length).toBeGreaterThan(ISSUE_COMMENT_BODY_MAX_CHARS - 1000);
    expect(out.endsWith(`\n\n${NOTICE}\n\n${MARKER}`)).toBe(true);
    expect(readLinkMarker(out, KEY)).toBe("hub-comment:acme/app:12:abc");
    expect(body.startsWith(out.slice(0, out.indexOf(NOTICE) - 2))).toBe(true);
  });

  it("closes a code fence the cut lands in, so the notice renders as text", () => {
    const body = `Intro\n\n\`\`\`\`python\n${"print('hello')\n".repeat(6000)}\`\`\`\`\n`;
    const out = truncateBody(body, { marker: MARKER, sourceUrl: SOURCE });
    expect(out.length).toBeLessThanOrEqual(ISSUE_COMMENT_BODY_MAX_CHARS);
    expect(out).toMatch(/print\('hello'\)\n````\n\n…truncated/);
    expect(lastParagraph(out)).toBe(NOTICE);
  });

  it("never splits a surrogate pair or an emoji sequence", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 120 }),
        fc.integer({ min: 150, max: 400 }),
        (body, maxChars) => {
          const marker = renderLinkMarker("k", KEY);
          const out = truncateBody(body.repeat(5), { marker, maxChars });
          expect(out.length).toBeLessThanOrEqual(maxChars);
          expect(out.isWellFormed()).toBe(true);
          expect(out.endsWith(marker)).toBe(true);
        },
      ),
    );
    const family = "👨‍👩‍👧";
    const out = truncateBody(family.repeat(100), { marker: MARKER, maxChars: 300 });
    const kept = out.slice(0, out.indexOf("\n\n…truncated"));
    expect(kept.length % family.length).toBe(0);
    expect(kept).toBe(family.repeat(kept.length / family.length));
  });

  it("does not cut inside a code span, which would turn its content into live prose", () => {
    const prefix = `${"x".repeat(200)} `;
    const body = `${prefix}\`@octocat and #12 stay in code ${"y".repeat(300)}\``;
    expect(sanitizeHubText(body)).toBe(body);
    const tail = `\n\n${NOTICE}\n\n${MARKER}`.length;
    for (let budget = prefix.length + 1; budget < prefix.length + 200; budget += 3) {
      const out = truncateBody(body, {
        marker: MARKER,
        maxChars: tail + budget,
        sourceUrl: SOURCE,
      });
      expect(out.length).toBeLessThanOrEqual(tail + budget);
      expect(out.startsWith(`${prefix}\n\n…truncated`)).toBe(true);
      expect(findLiveEffects(out.slice(0, out.lastIndexOf("\n\n")), KEY)).toEqual([]);
    }
  });

  it("does not cut inside a link target, which would leave its #fragment as a live reference", () => {
    const prefix = `${"x".repeat(200)} `;
    const body = `${prefix}[notes](/#12${"y".repeat(300)}) end`;
    expect(sanitizeHubText(body)).toBe(body);
    const tail = `\n\n${NOTICE}\n\n${MARKER}`.length;
    for (let budget = prefix.length + 8; budget < prefix.length + 200; budget += 3) {
      const out = truncateBody(body, {
        marker: MARKER,
        maxChars: tail + budget,
        sourceUrl: SOURCE,
      });
      expect(out.startsWith(`${prefix}[notes\n\n…truncated`)).toBe(true);
      expect(findLiveEffects(out.slice(0, out.lastIndexOf("\n\n")), KEY)).toEqual([]);
    }
  });

  it("keeps sanitised text safe and within the limit for any input", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 400 }),
        fc.integer({ min: 260, max: 500 }),
        (text, maxChars) => {
          const out = truncateBody(sanitizeHubText(text), {
            marker: MARKER,
            maxChars,
            sourceUrl: SOURCE,
          });
          expect(out.length).toBeLessThanOrEqual(maxChars);
          expect(readLinkMarker(out, KEY)).toBe("hub-comment:acme/app:12:abc");
          expect(findLiveEffects(out.slice(0, out.length - MARKER.length), KEY)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);

  it("refuses a limit too small for the notice and marker, saying what to change", () => {
    expect(() => truncateBody("x".repeat(500), { marker: MARKER, maxChars: 50 })).toThrow(
      /maxChars 50 leaves no room .* pass a larger maxChars/,
    );
  });
});

describe("truncateUtf8Bytes", () => {
  const notice = "\n\n…truncated";

  it("returns text within the byte limit unchanged", () => {
    expect(truncateUtf8Bytes("héllo", 6, notice)).toBe("héllo");
  });

  it("counts UTF-8 bytes, not characters, and never splits an emoji", () => {
    const text = "🤗".repeat(20_000);
    expect(text.length).toBe(40_000);
    const out = truncateUtf8Bytes(text, CHECK_RUN_TEXT_MAX_BYTES, notice);
    expect(Buffer.byteLength(out, "utf8")).toBeLessThanOrEqual(CHECK_RUN_TEXT_MAX_BYTES);
    expect(Buffer.byteLength(out, "utf8")).toBeGreaterThan(CHECK_RUN_TEXT_MAX_BYTES - 4);
    expect(out.endsWith(notice)).toBe(true);
    expect(out.slice(0, -notice.length)).toBe("🤗".repeat((out.length - notice.length) / 2));
  });

  it("stays within the limit and well-formed for any text", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 200 }),
        fc.integer({ min: 20, max: 300 }),
        (text, maxBytes) => {
          const out = truncateUtf8Bytes(text, maxBytes, notice);
          expect(Buffer.byteLength(out, "utf8")).toBeLessThanOrEqual(Math.max(maxBytes, 0));
          expect(out.isWellFormed()).toBe(true);
          expect(Buffer.from(out, "utf8").toString("utf8")).toBe(out);
        },
      ),
    );
  });

  it("refuses a notice longer than the limit", () => {
    expect(() => truncateUtf8Bytes("x".repeat(100), 5, notice)).toThrow(
      /notice .* is over maxBytes 5/,
    );
  });
});
