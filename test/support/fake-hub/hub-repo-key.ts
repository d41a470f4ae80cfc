import type { FakeHubRepoType } from "./types.ts";

/** The API spells a repo as `{type}s/{name}` (`models/gpt2`, `datasets/acme/data`). */
export function hubRepoKey(type: FakeHubRepoType, name: string): string {
  return `${type}s/${name}`;
}
