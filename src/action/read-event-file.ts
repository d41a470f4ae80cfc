import { readFile } from "node:fs/promises";
import { quote } from "../util/describe-zod-error.ts";
import { ActionInputError } from "./action-input-error.ts";

/** The JSON of the event that started the run, which the runner writes to GITHUB_EVENT_PATH. */
export async function readEventFile(path: string): Promise<unknown> {
  if (path === "") {
    throw new ActionInputError(
      "GITHUB_EVENT_PATH is not set; the payload and report modes run inside a GitHub Actions job, which sets it",
    );
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new ActionInputError(
      `GITHUB_EVENT_PATH ${quote(path)} cannot be read (${code}); run the step in a GitHub Actions job and do not override that variable`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ActionInputError(
      `GITHUB_EVENT_PATH ${quote(path)} does not hold JSON; do not override that variable`,
    );
  }
}
