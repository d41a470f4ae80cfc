import { escapeHtml } from "../escape-html.ts";
import type { ConsoleAccess } from "./create-console-auth.ts";

export const REFRESH_SCRIPT_PATH = "/console/refresh.js";

interface ConsoleLayout {
  title: string;
  access: ConsoleAccess;
  /** The page's main content (already escaped HTML). */
  body: string;
  /** Whether the page's `[data-refresh]` parts refresh in place (with JavaScript). */
  refresh?: boolean;
}

/** The frame every console page shares: navigation, who is signed in, and the styles. */
export function renderConsoleLayout(layout: ConsoleLayout): string {
  const { access } = layout;
  const who =
    access.kind === "user"
      ? `Signed in as <b>${escapeHtml(access.user.name)}</b> <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${escapeHtml(access.csrf)}"><button type="submit">Sign out</button></form>`
      : access.kind === "local"
        ? "Open to this machine (local-only rule)"
        : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(layout.title)} · hf-github-bridge</title>
<style>${STYLES}</style>
${layout.refresh ? `<script src="${REFRESH_SCRIPT_PATH}" defer></script>` : ""}
</head>
<body>
<header>
<nav><a href="/console">Deliveries</a><a href="/console/dead-letters">Dead letters</a><a href="/console/preview">Config preview</a><a href="/">Setup page</a></nav>
<div class="who">${who}</div>
</header>
<main>
<h1>${escapeHtml(layout.title)}</h1>
${layout.body}
</main>
</body>
</html>
`;
}

const STYLES = `
*, *::before, *::after { box-sizing: border-box; }
body { font-family: system-ui, sans-serif; margin: 0; line-height: 1.45; color: #18181b; background: #fafafa; }
header { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; justify-content: space-between; padding: 0.6rem 1rem; background: #fff; border-bottom: 1px solid #e4e4e7; }
nav { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
nav a { font-weight: 600; }
main { max-width: 90rem; margin: 0 auto; padding: 0 1rem 2rem; }
a { color: #1d4ed8; }
h1 { font-size: 1.4rem; margin: 1rem 0 0.5rem; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 0.4rem; }
.who { margin: 0; font-size: 0.9rem; }
form.inline { display: inline; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.85rem; background: #f4f4f5; border-radius: 4px; overflow-wrap: anywhere; }
pre { padding: 0.6rem; white-space: pre-wrap; word-break: break-word; max-height: 28rem; overflow: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; background: #fff; }
th, td { border-bottom: 1px solid #e4e4e7; padding: 0.4rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td:first-child, th { white-space: nowrap; }
td code { overflow-wrap: anywhere; }
th { background: #f4f4f5; }
ul.effects { margin: 0; padding-left: 1.1rem; }
.state { display: inline-block; padding: 0 0.45rem; border-radius: 999px; font-size: 0.8rem; font-weight: 600; white-space: nowrap; }
.state-done { background: #dcfce7; color: #14532d; }
.state-queued, .state-running { background: #dbeafe; color: #1e3a8a; }
.state-retrying { background: #fef3c7; color: #78350f; }
.state-dead, .state-rejected { background: #fee2e2; color: #7f1d1d; }
.state-ignored { background: #e4e4e7; color: #3f3f46; }
.filters { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; margin: 0.5rem 0; }
.filters label { display: flex; flex-direction: column; font-size: 0.8rem; }
input, select, button, textarea { font: inherit; }
input, select { padding: 0.2rem 0.3rem; max-width: 100%; }
button { padding: 0.25rem 0.7rem; border: 1px solid #a1a1aa; border-radius: 6px; background: #fff; cursor: pointer; }
button.primary { background: #1d4ed8; color: #fff; border-color: #1d4ed8; }
button.danger { background: #b91c1c; color: #fff; border-color: #b91c1c; }
textarea { width: 100%; min-height: 16rem; font-family: ui-monospace, monospace; font-size: 0.85rem; }
.notice { padding: 0.5rem 0.8rem; border-radius: 6px; background: #eff6ff; border: 1px solid #bfdbfe; }
.problem { background: #fef2f2; border-color: #fecaca; }
.pager { display: flex; gap: 1rem; margin: 0.6rem 0; }
.muted { color: #52525b; font-size: 0.85rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.side-by-side { display: grid; grid-template-columns: 1fr 1fr; gap: 0.5rem; }
@media (max-width: 640px) {
  table.cards thead { display: none; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
  table.cards tr { border: 1px solid #e4e4e7; border-radius: 8px; margin-bottom: 0.6rem; background: #fff; }
  table.cards td { border: none; padding: 0.2rem 0.6rem; }
  table.cards td::before { content: attr(data-label) ": "; font-weight: 600; }
  .side-by-side { grid-template-columns: 1fr; }
  dl.facts { grid-template-columns: 1fr; }
}
`;
