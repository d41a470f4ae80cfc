import { type RequestSpec, type SentResponse, sendRequest } from "./send-request.ts";
import { TEST_SECRET } from "./start-test-bridge.ts";

/** Posts a body as the Hub would: JSON, with the test secret in X-Webhook-Secret unless told otherwise. */
export function postWebhook(
  webhookUrl: string,
  body: string,
  options: {
    secret?: string | null;
    headers?: Record<string, string>;
    agent?: RequestSpec["agent"];
  } = {},
): Promise<SentResponse> {
  const secret = options.secret === undefined ? TEST_SECRET : options.secret;
  return sendRequest(webhookUrl, {
    body,
    headers: {
      "content-type": "application/json",
      ...(secret === null ? {} : { "x-webhook-secret": secret }),
      ...options.headers,
    },
    ...(options.agent !== undefined ? { agent: options.agent } : {}),
  });
}
