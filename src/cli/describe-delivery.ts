import type { DeliverySummary } from "../store/store.ts";
import { describeEffect } from "./describe-effect.ts";

/** Effect and error lines sit under their delivery's line. */
const INDENT = "    ";

/**
 * What `hf-bridge deliveries` prints for one delivery: a line with its id, time, source, event,
 * disposition, sender's delivery id (the Hub's Webhook-Id) and job, then one line per effect of a finished job (kind, target, outcome, link), or
 * the error of a job that failed.
 */
export function describeDelivery(delivery: DeliverySummary): string[] {
  const job =
    delivery.jobId === undefined
      ? ""
      : ` job ${delivery.jobId} ${delivery.jobState ?? "?"} (${delivery.attempts ?? 0} attempts)`;
  const webhookId = delivery.webhookId === undefined ? "" : ` webhook-id ${delivery.webhookId}`;
  const duplicates = delivery.duplicates > 0 ? ` +${delivery.duplicates} duplicates` : "";
  const note = delivery.outcome?.summary ?? delivery.reason;
  const lines = [
    `#${delivery.id} ${delivery.receivedAt.toISOString()} ${delivery.source} ${delivery.eventKind ?? "-"} ${delivery.disposition}${webhookId}${job}${duplicates}${note ? ` — ${note}` : ""}`,
  ];
  for (const { effect, result } of delivery.outcome?.effects ?? [])
    lines.push(`${INDENT}${describeEffect(effect, result)}`);
  if (delivery.lastError && delivery.jobState !== "done") {
    const when = delivery.jobState === "dead" ? "failed" : "last attempt failed, will retry";
    lines.push(`${INDENT}${when}: ${delivery.lastError}`);
  }
  return lines;
}
