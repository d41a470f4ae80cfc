import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The shared sample payloads live beside the repository, as in every checkout and in CI. */
export const HF_FIXTURES = resolve(REPO_ROOT, "../shared/fixtures/hf");
