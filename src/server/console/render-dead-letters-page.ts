import { eventRepo } from "../../events/bridge-event.ts";
import type { DeadLetter } from "../../store/store.ts";
import { escapeHtml } from "../escape-html.ts";
import type { ConsoleAccess } from "./create-console-auth.ts";
import { renderConsoleLayout } from "./render-console-layout.ts";

export interface DeadLetterFilter {
  hubRepo?: string;
  eventKind?: string;
}

/** Dead jobs, each with a Replay button, and one for the whole filtered set; both ask to confirm. */
export function renderDeadLettersPage(
  access: ConsoleAccess,
  letters: readonly DeadLetter[],
  filter: DeadLetterFilter,
  notice: string | undefined,
): string {
  const csrf = "csrf" in access ? escapeHtml(access.csrf) : "";
  const rows = letters.map((letter) => {
    const repo = eventRepo(letter.event)?.name;
    return `<tr id="dead-${letter.jobId}"><td data-label="Job">#${letter.jobId}</td><td data-label="Delivery"><a href="/console/delivery?id=${letter.deliveryId}">#${letter.deliveryId}</a></td><td data-label="Event">${escapeHtml(letter.event.kind)}</td><td data-label="Hub repo">${repo ? `<code>${escapeHtml(repo)}</code>` : "—"}</td><td data-label="Failed">${escapeHtml(letter.failedAt.toISOString())} after ${letter.attempts} attempt(s)</td><td data-label="Error"><code>${escapeHtml(letter.lastError)}</code></td><td data-label="Replay"><form method="post" action="/console/replay"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="jobId" value="${letter.jobId}"><button class="danger" type="submit">Replay…</button></form></td></tr>`;
  });
  const table =
    rows.length === 0
      ? `<p class="notice" id="no-dead-letters">No dead jobs${filter.hubRepo || filter.eventKind ? " match these filters" : ""}.</p>`
      : `<table id="dead-letters" class="cards"><thead><tr><th>Job</th><th>Delivery</th><th>Event</th><th>Hub repo</th><th>Failed</th><th>Error</th><th></th></tr></thead><tbody>${rows.join("")}</tbody></table>
<form method="post" action="/console/replay"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="all" value="1"><input type="hidden" name="repo" value="${escapeHtml(filter.hubRepo ?? "")}"><input type="hidden" name="event" value="${escapeHtml(filter.eventKind ?? "")}"><button class="danger" type="submit" id="replay-all">Replay all ${letters.length} shown…</button></form>`;
  const body = `${notice ? `<p class="notice" id="replay-notice">${escapeHtml(notice)}</p>` : ""}
<form class="filters" method="get" action="/console/dead-letters">
<label>Hub repo <input name="repo" value="${escapeHtml(filter.hubRepo ?? "")}" placeholder="owner/name"></label>
<label>Event <input name="event" value="${escapeHtml(filter.eventKind ?? "")}" placeholder="discussion.opened"></label>
<button type="submit">Filter</button>
</form>
<p class="muted">Replay puts a job back in the queue with its attempts reset. Effects it already wrote are not written again: every GitHub create is looked up before it is sent.</p>
<div id="dead-letters-part" data-refresh>${table}</div>`;
  return renderConsoleLayout({ title: "Dead letters", access, body, refresh: true });
}
