import { BENCH_SECRET } from "../servers/spawn-shipped-serve.ts";
import { commentBody } from "./comment-body.ts";

/** One Hub comment delivery with comment id `id`, with the bench's shared secret. */
export function postHubComment(port: number, id: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/webhooks/huggingface`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-webhook-secret": BENCH_SECRET },
    body: commentBody(id),
  });
}
