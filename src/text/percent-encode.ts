/**
 * `value` with every character `keep` does not match written as its UTF-8 bytes in `%XX` form. `keep`
 * tests one character and must not be global (a global pattern's `test` carries state between calls).
 */
export function percentEncode(value: string, keep: RegExp): string {
  let encoded = "";
  for (const character of value) {
    if (keep.test(character)) {
      encoded += character;
      continue;
    }
    for (const byte of Buffer.from(character, "utf8")) {
      encoded += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return encoded;
}
