import type { FakeLabel, FakeRepo } from "./types.ts";

export function renderLabel(label: FakeLabel, repo: FakeRepo, baseUrl: string) {
  return {
    id: label.id,
    node_id: `LA_${label.id}`,
    url: `${baseUrl}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: false,
    description: label.description,
  };
}
