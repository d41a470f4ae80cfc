import { isSecretHeader } from "../../store/is-secret-header.ts";
import type { DeliveryDetail } from "../../store/store.ts";
import { escapeHtml } from "../escape-html.ts";
import type { ConsoleAccess } from "./create-console-auth.ts";
import { deliverySourceLink } from "./delivery-source-link.ts";
import { describeDeliveryState } from "./describe-delivery-state.ts";
import { redactPayload } from "./redact-payload.ts";
import { renderConsoleLayout } from "./render-console-layout.ts";
import { renderDeliveryParts } from "./render-delivery-parts.ts";

/** Everything stored about one delivery; credential headers and fields are never shown. */
export function renderDeliveryDetailPage(
  access: ConsoleAccess,
  detail: DeliveryDetail,
  notice?: string,
): string {
  const { summary } = detail;
  const parts = renderDeliveryParts(summary);
  const source = deliverySourceLink(detail.event);
  const state = describeDeliveryState(summary);
  const fact = (name: string, value: string) => `<dt>${name}</dt><dd>${value}</dd>`;
  const facts = [
    fact("Received", parts.time),
    fact("Source", parts.source),
    fact("Event", parts.event),
    fact("Hub repo", parts.repo),
    fact("Came from", source ? `<a href="${escapeHtml(source)}">${escapeHtml(source)}</a>` : "—"),
    fact(
      "Webhook-Id",
      summary.webhookId === undefined
        ? "— (the sender set none)"
        : `<code id="webhook-id">${escapeHtml(summary.webhookId)}</code>`,
    ),
    fact("Dedupe key", `<code>${escapeHtml(summary.dedupeKey)}</code>`),
    fact("Duplicates", String(summary.duplicates)),
    fact(
      "Disposition",
      `${escapeHtml(summary.disposition)}${summary.reason ? ` — ${escapeHtml(summary.reason)}` : ""}`,
    ),
    fact("State", parts.state),
    ...(summary.jobId === undefined ? [] : [fact("Job", `#${summary.jobId}`)]),
  ].join("");
  const attempts =
    summary.jobId === undefined
      ? "<p>No job: this delivery was not queued.</p>"
      : `<p id="attempts">${summary.attempts ?? 0} attempt(s) so far.${summary.lastError ? ` Last error: <code>${escapeHtml(summary.lastError)}</code>` : " No error."}${summary.nextAttemptAt ? ` Next attempt at ${escapeHtml(summary.nextAttemptAt.toISOString())}.` : ""}</p>${
          state === "dead"
            ? `<form method="post" action="/console/replay"><input type="hidden" name="csrf" value="${csrfOf(access)}"><input type="hidden" name="jobId" value="${summary.jobId}"><button class="danger" type="submit">Replay job #${summary.jobId}…</button></form>`
            : ""
        }${
          state === "done" || state === "dead"
            ? `<form method="post" action="/console/rerun" id="rerun"><input type="hidden" name="csrf" value="${csrfOf(access)}"><input type="hidden" name="deliveryId" value="${summary.id}"><button class="danger" type="submit">Run again…</button> <small class="muted">plans and applies every effect again; what it made on GitHub is found, not made twice</small></form>`
            : ""
        }`;
  const history =
    detail.attempts.length === 0
      ? ""
      : `<table id="attempt-history" class="cards"><thead><tr><th>Attempt</th><th>Ended</th><th>Outcome</th><th>Error</th></tr></thead><tbody>${detail.attempts
          .map(
            (attempt) =>
              `<tr><td data-label="Attempt">${attempt.attempt}</td><td data-label="Ended">${escapeHtml(attempt.endedAt.toISOString())}</td><td data-label="Outcome">${escapeHtml(attempt.outcome)}</td><td data-label="Error">${attempt.error ? `<code>${escapeHtml(attempt.error)}</code>` : "—"}</td></tr>`,
          )
          .join("")}</tbody></table>`;
  const done = Object.entries(detail.completedEffects);
  const effects =
    summary.outcome || done.length === 0
      ? parts.became
      : `<ul class="effects">${done
          .map(
            ([key, result]) =>
              `<li><code>${escapeHtml(key)}</code>: ${escapeHtml(result.status)}${result.url ? ` <a href="${escapeHtml(result.url)}">${escapeHtml(result.url)}</a>` : ""}</li>`,
          )
          .join("")}</ul>`;
  const headers = Object.entries(detail.headers)
    .filter(([name]) => !isSecretHeader(name))
    .map(
      ([name, value]) =>
        `<tr><td><code>${escapeHtml(name)}</code></td><td>${escapeHtml(value)}</td></tr>`,
    )
    .join("");
  const shown = notice ? `<p class="notice" id="rerun-notice">${escapeHtml(notice)}</p>` : "";
  const body = `${shown}<div id="detail-part" data-refresh>
<dl class="facts">${facts}</dl>
<h2>Attempts</h2>${attempts}${history}
<h2>Effects</h2><div id="effects">${effects}</div>
</div>
<h2>Headers</h2><table id="headers"><tbody>${headers}</tbody></table>
<p class="muted">Secret and credential headers (the webhook secret, Authorization, cookies) are never stored.</p>
<h2>Payload</h2><pre id="payload">${escapeHtml(redactPayload(detail.body))}</pre>`;
  return renderConsoleLayout({ title: `Delivery #${summary.id}`, access, body, refresh: true });
}

function csrfOf(access: ConsoleAccess): string {
  return "csrf" in access ? escapeHtml(access.csrf) : "";
}
