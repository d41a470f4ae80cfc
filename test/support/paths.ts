import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The Hub sample payloads (provenance in its SOURCES.md), inside the checkout so a clone is self-contained. */
export const HF_FIXTURES = resolve(REPO_ROOT, "test/fixtures/hf");
