/** The same payload from a second Hub webhook: a new delivery the dedupe cannot drop, so it runs again. */
export function asOtherWebhook(body: Record<string, unknown>): Record<string, unknown> {
  return { ...body, webhook: { ...(body.webhook as object), id: "6390e855e30d9209411dffff" } };
}
