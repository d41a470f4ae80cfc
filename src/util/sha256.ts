import { hash } from "node:crypto";

/** The hex SHA-256 of a text: dedupe keys, content versions and dispatch ids are built from it. */
export function sha256(text: string): string {
  return hash("sha256", text, "hex");
}
