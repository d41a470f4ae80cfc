import type { EndpointSnapshot, EndpointTransition } from "../events/bridge-event.ts";
import { githubMarkdown } from "../text/github-markdown.ts";
import { endpointStateBadge } from "./endpoint-state-badge.ts";
import { endpointTime } from "./endpoint-time.ts";

/** A full commit id is noise in a table; seven characters identify it as Git does. */
const SHORT_REVISION_LENGTH = 7;
const NONE = "—";

/** The card issue's body: the endpoint as it is now, then how it got there, newest first. */
export function endpointCardBody(
  endpoint: EndpointSnapshot,
  history: readonly EndpointTransition[],
  hubUrl: string,
): string {
  const rows: Array<[string, string]> = [
    ["Endpoint", githubMarkdown`\`${{ hubText: `${endpoint.namespace}/${endpoint.name}` }}\``],
    ["Model", modelCell(endpoint, hubUrl)],
    ["Task", text(endpoint.task)],
    ["Hardware", text([endpoint.accelerator, endpoint.instance].filter(Boolean).join(" · "))],
    ["Replicas", replicasCell(endpoint)],
    ["URL", endpoint.url ? githubMarkdown`${{ hubUrl: endpoint.url }}` : NONE],
    ["Last message", text(endpoint.message)],
    ["Updated", endpoint.updatedAt ? text(endpointTime(endpoint.updatedAt)) : NONE],
  ];
  const sections = [
    githubMarkdown`## ${{ hubText: endpointStateBadge(endpoint.state) }}`,
    ["| | |", "| --- | --- |", ...rows.map(([name, value]) => `| **${name}** | ${value} |`)].join(
      "\n",
    ),
    "### History",
    historyTable(history),
    "<sub>Kept up to date by hf-github-bridge from the Inference Endpoints API; edits to this text are overwritten.</sub>",
  ];
  return sections.join("\n\n");
}

function modelCell(endpoint: EndpointSnapshot, hubUrl: string): string {
  const { repository, revision } = endpoint;
  if (!repository) return NONE;
  const model = { hubUrl: `${hubUrl}/${repository}` };
  const link = githubMarkdown`[${{ hubText: repository }}](${model})`;
  if (!revision) return link;
  const tree = { hubUrl: `${hubUrl}/${repository}/tree/${revision}` };
  return githubMarkdown`${{ bridge: link }} @ [\`${{ hubText: revision.slice(0, SHORT_REVISION_LENGTH) }}\`](${tree})`;
}

function replicasCell(endpoint: EndpointSnapshot): string {
  if (endpoint.readyReplica === undefined && endpoint.targetReplica === undefined) return NONE;
  return `${endpoint.readyReplica ?? "?"} ready / ${endpoint.targetReplica ?? "?"} target`;
}

function historyTable(history: readonly EndpointTransition[]): string {
  if (history.length === 0) return "_No transitions recorded yet._";
  const rows = [...history]
    .reverse()
    .map(
      (entry) =>
        `| ${text(endpointTime(entry.at))} | ${text(endpointStateBadge(entry.state))} | ${text(entry.message)} |`,
    );
  return ["| When | State | Message |", "| --- | --- | --- |", ...rows].join("\n");
}

function text(value: string | undefined): string {
  return value ? githubMarkdown`${{ hubText: value }}` : NONE;
}
