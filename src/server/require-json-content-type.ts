import { MIMEType } from "node:util";
import { quote } from "../util/describe-zod-error.ts";
import { HttpProblem } from "./http-problem.ts";

/** Webhook bodies are JSON in UTF-8; anything else is refused before the body is read. */
export function requireJsonContentType(header: string | undefined): void {
  // What the Hub sends; anything else goes through the full MIME parser.
  if (header === "application/json") return;
  const fix = "send Content-Type: application/json (optionally with charset=utf-8)";
  let type: MIMEType | undefined;
  try {
    type = header === undefined ? undefined : new MIMEType(header);
  } catch {
    type = undefined;
  }
  const charset = type?.params.get("charset")?.toLowerCase();
  if (type?.essence === "application/json" && (charset === undefined || charset === "utf-8"))
    return;
  throw new HttpProblem(
    415,
    "unsupported-media-type",
    `Content-Type ${header === undefined ? "is missing" : quote(header)} is not accepted; ${fix}`,
    { closeConnection: true },
  );
}
