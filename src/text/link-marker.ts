import { createHmac, timingSafeEqual } from "node:crypto";
import { percentEncode } from "./percent-encode.ts";

/** 16 hex characters (64 bits) of HMAC-SHA256: unguessable without the key, short enough to hide. */
const SIGNATURE_HEX_CHARS = 16;
const MARKER_PATTERN = /<!-- hf-bridge:link=([A-Za-z0-9:/._~%-]+);sig=([0-9a-f]{16}) -->/g;
/** Characters kept literal in the encoded key; everything else is percent-encoded (no `>`, `;`, space, newline). */
const LITERAL_KEY_CHAR = /[A-Za-z0-9:/._~-]/;

/**
 * A hidden marker tying a GitHub comment or issue to its Hub twin. Anyone can type a marker on the Hub,
 * so it carries an HMAC of the link key; only the bridge, holding `markerKey`, can sign one.
 */
export function renderLinkMarker(linkKey: string, markerKey: string): string {
  if (linkKey.length === 0 || !linkKey.isWellFormed()) {
    throw new Error(
      `linkKey ${JSON.stringify(linkKey)} is empty or holds a lone surrogate; pass the link key of the Hub object, e.g. "hub-discussion:org/model:12"`,
    );
  }
  requireMarkerKey(markerKey);
  return `<!-- hf-bridge:link=${percentEncode(linkKey, LITERAL_KEY_CHAR)};sig=${sign(linkKey, markerKey)} -->`;
}

/**
 * The link key of the last validly signed marker in `body` (the bridge appends its own marker at the
 * end), or undefined when there is none. Forged, altered or malformed markers are ignored.
 */
export function readLinkMarker(body: string, markerKey: string): string | undefined {
  requireMarkerKey(markerKey);
  let found: string | undefined;
  for (const [, encodedKey = "", signature = ""] of body.matchAll(MARKER_PATTERN)) {
    const linkKey = decodeKey(encodedKey);
    if (
      linkKey !== undefined &&
      linkKey.length > 0 &&
      signatureMatches(linkKey, signature, markerKey)
    ) {
      found = linkKey;
    }
  }
  return found;
}

function requireMarkerKey(markerKey: string): void {
  if (markerKey.length === 0) {
    throw new Error(
      "markerKey is empty; set the bridge's marker secret (a long random string) in the environment",
    );
  }
}

function sign(linkKey: string, markerKey: string): string {
  return createHmac("sha256", markerKey)
    .update(`hf-bridge:link=${linkKey}`)
    .digest("hex")
    .slice(0, SIGNATURE_HEX_CHARS);
}

function signatureMatches(linkKey: string, signature: string, markerKey: string): boolean {
  return timingSafeEqual(Buffer.from(sign(linkKey, markerKey)), Buffer.from(signature));
}

function decodeKey(encodedKey: string): string | undefined {
  try {
    return decodeURIComponent(encodedKey);
  } catch {
    return undefined;
  }
}
