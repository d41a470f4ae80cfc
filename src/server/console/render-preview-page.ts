import { escapeHtml } from "../escape-html.ts";
import type { ConsoleAccess } from "./create-console-auth.ts";
import type { ConfigPreview } from "./preview-config.ts";
import { renderConsoleLayout } from "./render-console-layout.ts";

/** The config preview form and, once submitted, its problems or its side-by-side dry run. */
export function renderPreviewPage(
  access: ConsoleAccess,
  input: { text: string; last: number },
  preview: ConfigPreview | undefined,
): string {
  const csrf = "csrf" in access ? escapeHtml(access.csrf) : "";
  const form = `<form method="post" action="/console/preview">
<input type="hidden" name="csrf" value="${csrf}">
<label for="config">Paste a changed <code>hf-bridge.yml</code>:</label>
<textarea id="config" name="config" spellcheck="false">${escapeHtml(input.text)}</textarea>
<p><label>Plan for the last <input type="number" name="last" min="1" max="100" value="${input.last}"> deliveries</label>
<button class="primary" type="submit" id="run-preview">Preview</button></p>
<p class="muted">Nothing is written: the preview plans effects in memory and leaves the store, GitHub and the running config as they are.</p>
</form>`;
  return renderConsoleLayout({
    title: "Config preview",
    access,
    body: `${form}${preview ? renderResult(preview) : ""}`,
  });
}

function renderResult(preview: ConfigPreview): string {
  if ("problems" in preview) {
    const items = preview.problems
      .map(
        (problem) =>
          `<li>line ${problem.line}, column ${problem.col} — <code>${escapeHtml(problem.where)}</code>: ${escapeHtml(problem.message)}. Fix: ${escapeHtml(problem.fix)}</li>`,
      )
      .join("");
    return `<h2>Problems</h2><div class="notice problem"><ul id="preview-problems">${items}</ul></div>`;
  }
  if (preview.rows.length === 0)
    return `<p class="notice">No stored deliveries to plan for yet.</p>`;
  const list = (lines: string[]) =>
    `<ul class="effects">${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>`;
  const rows = preview.rows
    .map(
      ({ delivery, running, pasted }) =>
        `<tr><td data-label="Delivery"><a href="/console/delivery?id=${delivery.id}">#${delivery.id}</a> ${escapeHtml(delivery.eventKind ?? "")}<br><small>${escapeHtml(delivery.hubRepo ?? "")}</small></td><td data-label="Running config">${list(running)}</td><td data-label="Pasted config">${list(pasted)}</td></tr>`,
    )
    .join("");
  return `<h2>Dry run</h2><table id="preview" class="cards"><thead><tr><th>Delivery</th><th>Running config</th><th>Pasted config</th></tr></thead><tbody>${rows}</tbody></table>`;
}
