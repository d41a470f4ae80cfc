import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebhookSecrets } from "../hf/prepare-webhook-secrets.ts";
import { verifySecret } from "../hf/verify-secret.ts";
import { HttpProblem } from "./http-problem.ts";
import { readBody } from "./read-body.ts";
import { readPresentedSecret } from "./read-presented-secret.ts";
import { requireJsonContentType } from "./require-json-content-type.ts";

export interface WebhookBodyLimits {
  secrets: WebhookSecrets;
  bodyLimitBytes: number;
  bodyTimeoutMs: number;
}

/**
 * The common front of every webhook handler: the secret is checked from headers alone, before a byte of
 * the body is read, then the content type, then the body within its size and time limits.
 */
export async function readAuthenticatedBody(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  limits: WebhookBodyLimits,
): Promise<Buffer> {
  const verdict = verifySecret(readPresentedSecret(req, url), limits.secrets);
  if (!verdict.ok)
    throw new HttpProblem(401, "unauthorized", verdict.reason, { closeConnection: true });
  requireJsonContentType(req.headers["content-type"]);
  return readBody(req, res, { limitBytes: limits.bodyLimitBytes, timeoutMs: limits.bodyTimeoutMs });
}
