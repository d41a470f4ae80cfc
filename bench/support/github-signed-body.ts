import { createHmac } from "node:crypto";
import { commentBody } from "./comment-body.ts";

/**
 * An `issue_comment.created` delivery as GitHub signs it (HMAC-SHA256 of the body in
 * `x-hub-signature-256`), built from the Hub sample with comment id `id` and exactly as many bytes as
 * the Hub delivery with the same id: Probot is fed what the bridge is fed, in GitHub's scheme.
 */
export function githubSignedBody(id: string, secret: string): { body: string; signature: string } {
  const hub = commentBody(id);
  const payload = JSON.parse(hub) as { comment: { content: string } };
  const withAction = JSON.stringify({ action: "created", ...payload });
  const excess = Buffer.byteLength(withAction) - Buffer.byteLength(hub);
  payload.comment.content = payload.comment.content.slice(0, -excess);
  const body = JSON.stringify({ action: "created", ...payload });
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return { body, signature };
}
