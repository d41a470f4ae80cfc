import type { Route } from "../config/config-schema.ts";
import { oldestDueWaitSeconds } from "../store/oldest-due-wait-seconds.ts";
import type { DeliverySummary, JobCounts } from "../store/store.ts";
import { escapeHtml } from "./escape-html.ts";
import { type ReplicasView, renderReplicas } from "./render-replicas.ts";

/** The background checks of the GitHub and Hub set-up, and what they found so far. */
export interface SetupStatus {
  state: "checking" | "done";
  /** Findings phrased as what to do; they may name private repos. */
  notices: readonly string[];
}

interface LandingPageView {
  webhookUrl: string;
  /** Whether requests must carry a secret; the value itself is never shown. */
  signed: boolean;
  mode: "dry-run" | "github";
  /** Routes and deliveries, for requests allowed to see them; undefined hides both. */
  details:
    | {
        routes: readonly Route[];
        /** Most recent first; undefined when the store could not be read. */
        deliveries: readonly DeliverySummary[] | undefined;
      }
    | undefined;
  /** The queue now; undefined when the store could not be read. */
  jobs: { counts: JobCounts; at: Date } | undefined;
  /** Undefined when the server was started without set-up checks. */
  setup?: SetupStatus;
  /** Whether the set-up findings may be listed (they name repos, like the details). */
  showSetupFindings?: boolean;
  /** On a shared store, with the details: who holds which lease, and the GitHub write lanes. */
  replicas?: ReplicasView | "unreadable";
}

/** The setup page: what to paste into the Hub webhook form, what is routed, and what arrived lately. */
export function renderLandingPage(view: LandingPageView): string {
  const secretAdvice = view.signed
    ? "Set the webhook's <b>Secret</b> to the value of the <code>HF_WEBHOOK_SECRET</code> setting of this bridge (one of them while rotating). This page never shows it."
    : "No secret is configured: this bridge accepts unsigned deliveries (dry-run demo). Set <code>HF_WEBHOOK_SECRET</code> before real use.";
  const modeText =
    view.mode === "github"
      ? "GitHub: planned effects are written to GitHub."
      : "Dry-run: effects are planned and recorded, nothing is written to GitHub.";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hf-github-bridge</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; line-height: 1.5; }
code, pre { background: #f4f4f5; padding: 0.1rem 0.3rem; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #e4e4e7; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
</style>
</head>
<body>
<h1>hf-github-bridge</h1>
<p id="console-link">Operators: the <a href="/console">console</a> lists every delivery, what it became on GitHub and the dead letters, with Replay (Sign in with Hugging Face, for the users and orgs in <code>console.allow</code>).</p>
<h2>Connect a Hugging Face webhook</h2>
<ol>
<li>Open <a href="https://huggingface.co/settings/webhooks">huggingface.co/settings/webhooks</a> and add a webhook watching your repos, user or organization.</li>
<li>Webhook URL: <code id="webhook-url">${escapeHtml(view.webhookUrl)}</code></li>
<li>${secretAdvice}</li>
<li>Subscribe to the events <b>Repo update</b> and <b>Community (PR &amp; discussions)</b>.</li>
</ol>
<h2>Mode</h2>
<p id="mode">${escapeHtml(modeText)}</p>
${view.setup ? renderSetup(view.setup, view.showSetupFindings === true) : ""}
<h2>Queue</h2>
${renderQueue(view.jobs)}
${view.replicas ? renderReplicas(view.replicas) : ""}
${view.details ? renderDetails(view.details) : HIDDEN_DETAILS}
</body>
</html>
`;
}

/** Repo names, private ones included, are not for whoever finds a public bridge's address. */
const HIDDEN_DETAILS = `<h2>Routes and deliveries</h2>
<p id="details-hidden">Shown only to requests from this machine, because they name repositories, private ones included: open this page on the bridge's host, or run <code>hf-bridge deliveries</code>. To show them to everyone who can reach this page (a bridge behind your own access control), set <code>HF_BRIDGE_PAGE_DETAILS=public</code>.</p>`;

function renderDetails(details: NonNullable<LandingPageView["details"]>): string {
  return `<h2>Routes in effect</h2>
${renderRoutes(details.routes)}
<h2>Last deliveries</h2>
${renderDeliveries(details.deliveries)}`;
}

function renderRoutes(routes: readonly Route[]): string {
  if (routes.length === 0) {
    return "<p>No routes: every event is stored and ignored. Add routes to <code>hf-bridge.yml</code>.</p>";
  }
  const rows = routes.map((route) => {
    const features = [
      route.discussions === false ? undefined : "discussions",
      route.commits === "off" ? undefined : `commits: ${route.commits}`,
      route.dispatch.length > 0 ? `dispatch ×${route.dispatch.length}` : undefined,
    ].filter((feature) => feature !== undefined);
    return `<tr><td><code>${escapeHtml(route.hub)}</code></td><td>${escapeHtml(route.types?.join(", ") ?? "all")}</td><td><code>${escapeHtml(route.github)}</code></td><td>${escapeHtml(features.join(", ") || "none")}</td></tr>`;
  });
  return `<table id="routes"><thead><tr><th>Hub repos</th><th>Types</th><th>GitHub repo</th><th>Features</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table>`;
}

function renderSetup(setup: SetupStatus, showFindings: boolean): string {
  const checking =
    setup.state === "checking"
      ? "Checking the GitHub and Hub set-up in the background; webhooks are stored meanwhile."
      : undefined;
  const count = setup.notices.length;
  const status =
    checking ??
    (count === 0
      ? "Set-up checked: nothing to fix."
      : `Set-up checked: ${count} thing(s) to fix${showFindings ? ":" : "; they are listed on this page on the bridge's host and in its log."}`);
  const findings =
    showFindings && count > 0
      ? `<ul id="setup-findings">${setup.notices.map((notice) => `<li>${escapeHtml(notice)}</li>`).join("")}</ul>`
      : "";
  return `<h2>Set-up</h2>
<p id="setup">${escapeHtml(status)}</p>${findings}`;
}

function renderQueue(jobs: LandingPageView["jobs"]): string {
  if (jobs === undefined) return "<p>The job queue could not be read; see the server log.</p>";
  const { counts, at } = jobs;
  const waited = counts.oldestDueAt
    ? `, the oldest due for ${Math.round(oldestDueWaitSeconds(counts, at))} s`
    : "";
  const dead =
    counts.dead > 0
      ? `<p id="dead-letters"><b>${counts.dead} dead job(s)</b> failed for good: <code>hf-bridge dead-letters</code> shows why, <code>hf-bridge replay &lt;jobId&gt;</code> runs one again.</p>`
      : "";
  return `<p id="queue">${counts.queued} queued${waited}; ${counts.running} running; ${counts.dead} dead.</p>${dead}`;
}

function renderDeliveries(deliveries: readonly DeliverySummary[] | undefined): string {
  if (deliveries === undefined) {
    return "<p>The delivery store could not be read; see the server log.</p>";
  }
  if (deliveries.length === 0) {
    return "<p>No deliveries yet. Use the webhook's <b>Replay</b> button on the Hub, or change something in a watched repo.</p>";
  }
  const rows = deliveries.map(
    (delivery) =>
      `<tr><td>${delivery.id}</td><td>${escapeHtml(delivery.receivedAt.toISOString())}</td><td>${escapeHtml(delivery.source)}</td><td>${delivery.webhookId === undefined ? "" : `<code>${escapeHtml(delivery.webhookId)}</code>`}</td><td>${escapeHtml(delivery.eventKind ?? "")}</td><td>${escapeHtml(delivery.disposition)}${delivery.reason ? `<br><small>${escapeHtml(delivery.reason)}</small>` : ""}</td><td>${delivery.duplicates}</td><td>${escapeHtml(jobText(delivery))}</td><td>${renderOutcome(delivery)}</td></tr>`,
  );
  return `<table id="deliveries"><thead><tr><th>#</th><th>Received</th><th>Source</th><th>Webhook-Id</th><th>Event</th><th>Outcome</th><th>Duplicates</th><th>Job</th><th>Planned effects</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table>`;
}

function jobText(delivery: DeliverySummary): string {
  if (delivery.jobId === undefined) return "";
  const attempts = delivery.attempts ? `, ${delivery.attempts} attempt(s)` : "";
  const error = delivery.lastError ? `; last error: ${delivery.lastError}` : "";
  return `#${delivery.jobId} ${delivery.jobState ?? ""}${attempts}${error}`;
}

/** The GitHub object an effect wrote (issue, comment, check run, workflow run), when it has a page. */
function resultLink(url: string | undefined): string {
  return url?.startsWith("https://") ? ` <a href="${escapeHtml(url)}">open on GitHub</a>` : "";
}

function renderOutcome(delivery: DeliverySummary): string {
  const outcome = delivery.outcome;
  if (!outcome) return "";
  const effects = outcome.effects.map(
    ({ effect, result }) =>
      `<li>${escapeHtml(effect.type)} on ${escapeHtml(`${effect.repo.owner}/${effect.repo.repo}`)}: ${escapeHtml(result.status)}${result.detail ? ` <small>${escapeHtml(result.detail)}</small>` : ""}${resultLink(result.url)}</li>`,
  );
  return `${escapeHtml(outcome.summary)}${effects.length > 0 ? `<ul>${effects.join("")}</ul>` : ""}`;
}
