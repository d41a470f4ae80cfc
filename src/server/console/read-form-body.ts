import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../read-body.ts";

/** A pasted hf-bridge.yml is a few kilobytes; a megabyte leaves room for a very long one. */
const MAX_FORM_BYTES = 1024 * 1024;
/** A person's browser posts a form at once; a client that trickles it is not one. */
const FORM_TIMEOUT_MS = 10_000;

/** The fields of a console form (urlencoded), read within the limits above. */
export async function readFormBody(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<URLSearchParams> {
  const body = await readBody(req, res, {
    limitBytes: MAX_FORM_BYTES,
    timeoutMs: FORM_TIMEOUT_MS,
  });
  return new URLSearchParams(body.toString("utf8"));
}
