import type { EndpointSnapshot, EndpointTransition } from "../events/bridge-event.ts";
import { endpointMarkdownText } from "./endpoint-markdown-text.ts";
import { endpointStateBadge } from "./endpoint-state-badge.ts";
import { endpointTime } from "./endpoint-time.ts";

/** A full commit id is noise in a table; seven characters identify it as Git does. */
const SHORT_REVISION_LENGTH = 7;
const HUB_URL = "https://huggingface.co";

/** The card issue's body: the endpoint as it is now, then how it got there, newest first. */
export function endpointCardBody(
  endpoint: EndpointSnapshot,
  history: readonly EndpointTransition[],
): string {
  const rows: Array<[string, string]> = [
    ["Endpoint", `\`${endpoint.namespace}/${endpoint.name}\``],
    ["Model", modelCell(endpoint)],
    ["Task", text(endpoint.task)],
    ["Hardware", text([endpoint.accelerator, endpoint.instance].filter(Boolean).join(" · "))],
    ["Replicas", replicasCell(endpoint)],
    ["URL", urlCell(endpoint.url)],
    ["Last message", text(endpoint.message)],
    ["Updated", endpoint.updatedAt ? endpointTime(endpoint.updatedAt) : "—"],
  ];
  const sections = [
    `## ${endpointStateBadge(endpoint.state)}`,
    ["| | |", "| --- | --- |", ...rows.map(([name, value]) => `| **${name}** | ${value} |`)].join(
      "\n",
    ),
    "### History",
    historyTable(history),
    "<sub>Kept up to date by hf-github-bridge from the Inference Endpoints API; edits to this text are overwritten.</sub>",
  ];
  return sections.join("\n\n");
}

function modelCell(endpoint: EndpointSnapshot): string {
  if (!endpoint.repository) return "—";
  const repository = `[${endpointMarkdownText(endpoint.repository)}](${HUB_URL}/${endpoint.repository})`;
  if (!endpoint.revision) return repository;
  const short = endpointMarkdownText(endpoint.revision.slice(0, SHORT_REVISION_LENGTH));
  return `${repository} @ [\`${short}\`](${HUB_URL}/${endpoint.repository}/tree/${endpoint.revision})`;
}

function replicasCell(endpoint: EndpointSnapshot): string {
  if (endpoint.readyReplica === undefined && endpoint.targetReplica === undefined) return "—";
  return `${endpoint.readyReplica ?? "?"} ready / ${endpoint.targetReplica ?? "?"} target`;
}

function urlCell(url: string | undefined): string {
  if (!url) return "—";
  return url.startsWith("https://") ? `<${url}>` : text(url);
}

function historyTable(history: readonly EndpointTransition[]): string {
  if (history.length === 0) return "_No transitions recorded yet._";
  const rows = [...history]
    .reverse()
    .map(
      (entry) =>
        `| ${endpointTime(entry.at)} | ${endpointStateBadge(entry.state)} | ${text(entry.message)} |`,
    );
  return ["| When | State | Message |", "| --- | --- | --- |", ...rows].join("\n");
}

function text(value: string | undefined): string {
  return value ? endpointMarkdownText(value) : "—";
}
