import type { BridgeProblem } from "../events/bridge-event.ts";
import { MAX_LIST_LIMIT } from "../store/check-list-limit.ts";
import type { Store } from "../store/store.ts";

/** The window the alarm judges, as the issue states it: the last hour of Hub deliveries. */
const HUB_ANSWER_WINDOW_MS = 60 * 60_000;
/**
 * The Hub publishes no suspension rule, only that failing answers lead to one; a fifth of answers
 * failing is far from normal (the bridge answers 2xx to every authentic delivery it stores) and
 * leaves time to act before anything like half of them fail.
 */
const NON_2XX_SHARE_ALARM = 0.2;
/** Too few deliveries say nothing about a share: one bad test send is not a trend. */
export const MIN_HUB_ANSWERS_JUDGED = 10;

/**
 * The share of non-2xx answers the bridge gave the Hub in the last hour, from the deliveries the
 * store keeps: rejected ones were answered 400, queued and ignored ones 202, their duplicates 200.
 * Deliveries refused before they were stored (a wrong secret) are not counted; /metrics has those.
 */
export async function checkHubAnswerShare(
  store: Store,
  now: Date,
): Promise<BridgeProblem | undefined> {
  const since = now.getTime() - HUB_ANSWER_WINDOW_MS;
  const recent = (await store.listDeliveries({ limit: MAX_LIST_LIMIT })).filter(
    (delivery) => delivery.source === "hub" && delivery.receivedAt.getTime() >= since,
  );
  let answers = 0;
  let failed = 0;
  for (const delivery of recent) {
    answers += 1 + delivery.duplicates;
    if (delivery.disposition === "rejected") failed += 1 + delivery.duplicates;
  }
  if (answers < MIN_HUB_ANSWERS_JUDGED || failed / answers < NON_2XX_SHARE_ALARM) return undefined;
  const latest = recent.find((delivery) => delivery.disposition === "rejected");
  return {
    id: "hub-answers",
    title: "the Hub webhook risks suspension",
    detail: `${failed} of the last hour's ${answers} Hub deliveries were answered non-2xx (${Math.round((100 * failed) / answers)} %, alarm at ${NON_2XX_SHARE_ALARM * 100} %); the Hub suspends a webhook whose answers keep failing. The latest rejection (delivery ${latest?.id}): ${latest?.reason ?? "no reason kept"}`,
    fix: "Run `npx hf-bridge deliveries` to read the rejected ones; a payload the bridge cannot read usually means the webhook sends an unexpected format or a test tool posts to it. Fix the sender, then check the webhook is still active in the Hub's webhook settings (reactivate it there if it was suspended).",
  };
}
