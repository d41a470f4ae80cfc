import type { DeliverySummary } from "../../store/store.ts";
import { escapeHtml } from "../escape-html.ts";
import { describeDeliveryState } from "./describe-delivery-state.ts";
import { describeEffectInWords } from "./describe-effect-in-words.ts";

const SOURCE_WORDS: Record<DeliverySummary["source"], string> = {
  hub: "Hub webhook",
  github: "GitHub webhook",
  "endpoint-post": "Endpoint post",
  "endpoint-poller": "Endpoint poller",
  "space-poller": "Space poller",
  "alarm-monitor": "Bridge health check",
};

/** The pieces of a delivery the list and the detail page both show. */
export function renderDeliveryParts(delivery: DeliverySummary) {
  const state = describeDeliveryState(delivery);
  const attempts = delivery.attempts === undefined ? "" : ` · ${delivery.attempts} attempt(s)`;
  const next = delivery.nextAttemptAt
    ? `<br><small>next attempt ${escapeHtml(delivery.nextAttemptAt.toISOString())}</small>`
    : "";
  return {
    time: `<time datetime="${delivery.receivedAt.toISOString()}">${escapeHtml(delivery.receivedAt.toISOString().replace("T", " ").slice(0, 19))}</time>`,
    source: escapeHtml(SOURCE_WORDS[delivery.source] ?? delivery.source),
    event: escapeHtml(delivery.eventKind ?? "—"),
    repo: delivery.hubRepo ? `<code>${escapeHtml(delivery.hubRepo)}</code>` : "—",
    state: `<span class="state state-${state}">${state}</span><small>${attempts}</small>${next}`,
    became: renderBecame(delivery, state),
  };
}

function renderBecame(delivery: DeliverySummary, state: string): string {
  const effects = delivery.outcome?.effects ?? [];
  if (effects.length > 0) {
    const items = effects.map(({ effect, result }) => {
      const link = result.url?.startsWith("https://")
        ? ` <a href="${escapeHtml(result.url)}">${escapeHtml(githubLinkText(result.url))}</a>`
        : "";
      return `<li>${escapeHtml(describeEffectInWords(effect, result))}${link}</li>`;
    });
    return `<ul class="effects">${items.join("")}</ul>`;
  }
  if (delivery.outcome) return escapeHtml(delivery.outcome.summary);
  if (state === "dead")
    return `Failed for good: ${escapeHtml(delivery.lastError ?? "no error kept")}`;
  if (state === "retrying") return `Failed, will retry: ${escapeHtml(delivery.lastError ?? "")}`;
  if (state === "queued") return "Waiting for the worker";
  if (state === "running") return "Running now";
  return escapeHtml(delivery.reason ?? state);
}

/** `acme/widgets#7` for an issue, else the last parts of the GitHub URL. */
function githubLinkText(url: string): string {
  const match =
    /^https:\/\/github\.com\/([^/]+\/[^/]+)\/(issues|pull)\/(\d+)(#issuecomment-\d+)?/.exec(url);
  if (match) return `${match[1]}#${match[3]}${match[4] ? " (comment)" : ""}`;
  const path = URL.parse(url)?.pathname.split("/").filter(Boolean) ?? [];
  return path.length > 2
    ? `${path.slice(0, 2).join("/")} ${path.slice(2).join(" ")}`
    : "open on GitHub";
}
