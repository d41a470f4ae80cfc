import type { DeadLetter } from "../../store/store.ts";
import { escapeHtml } from "../escape-html.ts";
import type { ConsoleAccess } from "./create-console-auth.ts";
import { renderConsoleLayout } from "./render-console-layout.ts";

/** "Replay these jobs?" with the exact set, so nothing is replayed by a stray click. */
export function renderReplayConfirmationPage(
  access: ConsoleAccess,
  letters: readonly DeadLetter[],
): string {
  const csrf = "csrf" in access ? escapeHtml(access.csrf) : "";
  const ids = letters
    .map((letter) => `<input type="hidden" name="jobId" value="${letter.jobId}">`)
    .join("");
  const list = letters
    .map(
      (letter) =>
        `<li>Job #${letter.jobId} (${escapeHtml(letter.event.kind)}): <code>${escapeHtml(letter.lastError)}</code></li>`,
    )
    .join("");
  const body =
    letters.length === 0
      ? `<p class="notice">No dead job to replay. <a href="/console/dead-letters">Back to dead letters</a></p>`
      : `<p>Replay ${letters.length} dead job(s)? Each runs again from its first effect; effects already written are found on GitHub, not written twice.</p>
<ul id="to-replay">${list}</ul>
<form method="post" action="/console/replay"><input type="hidden" name="csrf" value="${csrf}">${ids}<input type="hidden" name="confirm" value="yes"><button class="danger" type="submit" id="confirm-replay">Yes, replay ${letters.length} job(s)</button> <a href="/console/dead-letters">Cancel</a></form>`;
  return renderConsoleLayout({ title: "Replay dead jobs", access, body });
}
