import { z } from "zod";
import { configSchema } from "./config-schema.ts";

/** Hover text for editors, by key path (`[]` stands for any list item). */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  "": "hf-github-bridge configuration (hf-bridge.yml). Secrets never go here: use environment variables.",
  version: "Config format version; always 1.",
  routes: "Which Hub repos map to which GitHub repos, and what the bridge does for them.",
  "routes[].hub": 'Hub repo as owner/name, or a glob such as "acme/*".',
  "routes[].types":
    "Hub repo types this route applies to (model, dataset, space); all when absent.",
  "routes[].github": "GitHub repository as owner/repo.",
  "routes[].discussions":
    "Mirror Hub discussions and pull requests into GitHub issues: true, false, or options.",
  "routes[].commits": 'Hub commits become check runs on the matching GitHub commit ("checks").',
  "routes[].dispatch": "Send repository_dispatch (or workflow_dispatch) when matching refs change.",
  endpoints: "Inference Endpoints to watch and report on in GitHub.",
  "endpoints[].namespace": "Hub user or organisation that owns the endpoints.",
  "endpoints[].names": "Endpoint names or globs; all when absent.",
  "endpoints[].github": "GitHub repository as owner/repo.",
  "endpoints[].intervalSeconds": "How often to poll, in seconds (5 to 3600).",
  retentionDays:
    "Days a delivery and its dedupe key are kept once its job is done (1 to 3650; default 30). Live and dead-lettered jobs are kept.",
};

/** The JSON Schema of hf-bridge.yml, as committed in schema/hf-bridge.schema.json, for editor completion. */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: "input" }) as JsonSchemaNode;
  for (const [path, description] of Object.entries(DESCRIPTIONS)) {
    const node = nodeAt(schema, path);
    if (!node)
      throw new Error(`DESCRIPTIONS names "${path}", which the config schema does not have`);
    node.description = description;
  }
  return `${JSON.stringify({ title: "hf-bridge.yml", ...schema }, null, 2)}\n`;
}

interface JsonSchemaNode {
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
}

function nodeAt(root: JsonSchemaNode, path: string): JsonSchemaNode | undefined {
  if (path === "") return root;
  let node: JsonSchemaNode | undefined = root;
  for (const part of path.split(".")) {
    const isList = part.endsWith("[]");
    node = node?.properties?.[isList ? part.slice(0, -2) : part];
    if (isList) node = node?.items;
  }
  return node;
}
