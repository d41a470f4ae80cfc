import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SAMPLE = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../src/cli/samples/discussion.comment.json",
);

/** The Hub's sample comment delivery, compact, with its comment id replaced by `id`. */
export function commentBody(id: string): string {
  const sample = JSON.parse(readFileSync(SAMPLE, "utf8")) as { comment: { id: string } };
  sample.comment.id = id;
  return JSON.stringify(sample);
}
