import { DELIVERY_STATES, type DeliveryPage, type DeliveryQuery } from "../../store/store.ts";
import { escapeHtml } from "../escape-html.ts";
import type { ConsoleAccess } from "./create-console-auth.ts";
import { renderConsoleLayout } from "./render-console-layout.ts";
import { renderDeliveryParts } from "./render-delivery-parts.ts";

/** The deliveries view: filters, one row per delivery, paging, refreshed in place with JavaScript. */
export function renderDeliveriesPage(
  access: ConsoleAccess,
  query: DeliveryQuery,
  page: DeliveryPage,
): string {
  const filter = (name: string, value: string | undefined) =>
    value ? `&${name}=${encodeURIComponent(value)}` : "";
  const kept = `${filter("state", query.state)}${filter("repo", query.hubRepo)}${filter("event", query.eventKind)}`;
  const states = ["", ...DELIVERY_STATES]
    .map(
      (state) =>
        `<option value="${state}"${state === (query.state ?? "") ? " selected" : ""}>${state || "any"}</option>`,
    )
    .join("");
  const rows = page.deliveries.map((delivery) => {
    const parts = renderDeliveryParts(delivery);
    return `<tr id="delivery-${delivery.id}"><td data-label="#"><a href="/console/delivery?id=${delivery.id}">#${delivery.id}</a></td><td data-label="Time">${parts.time}</td><td data-label="Source">${parts.source}${delivery.webhookId === undefined ? "" : `<br><small class="webhook-id" title="Webhook-Id">id <code>${escapeHtml(delivery.webhookId)}</code></small>`}</td><td data-label="Event">${parts.event}</td><td data-label="Hub repo">${parts.repo}</td><td data-label="State">${parts.state}</td><td data-label="What it became">${parts.became}</td></tr>`;
  });
  const table =
    rows.length === 0
      ? `<p class="notice">No deliveries${kept ? " match these filters" : " yet"}.</p>`
      : `<table id="deliveries" class="cards"><thead><tr><th>#</th><th>Time</th><th>Source</th><th>Event</th><th>Hub repo</th><th>State</th><th>What it became</th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`;
  const older =
    page.nextBeforeId === undefined
      ? ""
      : `<a id="older" href="/console?before=${page.nextBeforeId}${kept}">Older deliveries →</a>`;
  const newest =
    query.beforeId === undefined ? "" : `<a href="/console?${kept.slice(1)}">← Newest</a>`;
  const body = `<form class="filters" method="get" action="/console">
<label>State <select name="state">${states}</select></label>
<label>Hub repo <input name="repo" value="${escapeHtml(query.hubRepo ?? "")}" placeholder="owner/name"></label>
<label>Event <input name="event" value="${escapeHtml(query.eventKind ?? "")}" placeholder="discussion.opened"></label>
<button type="submit">Filter</button>
<a href="/console?${kept.slice(1)}${query.beforeId ? `&before=${query.beforeId}` : ""}">Refresh</a>
<span id="refreshed" class="muted"></span>
</form>
<div id="deliveries-part" data-refresh>${table}
<div class="pager">${newest}${older}</div></div>`;
  return renderConsoleLayout({ title: "Deliveries", access, body, refresh: true });
}
