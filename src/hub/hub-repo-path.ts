import type { HubRepoType } from "../hf/hub-payload-schema.ts";

/** `owner/name`, or an old canonical name without owner (`gpt2`); nothing that could leave the path. */
const HUB_REPO_NAME = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;

/**
 * The API path of a Hub repo (`/api/models/gpt2`), built from its type and name only: the bridge never
 * follows a URL taken from a webhook payload.
 */
export function hubRepoPath(type: HubRepoType, name: string): string {
  if (!HUB_REPO_NAME.test(name) || name.includes("..")) {
    throw new Error(
      `Hub repo name ${JSON.stringify(name)} is not valid; write it as owner/name, e.g. acme/my-model`,
    );
  }
  return `/api/${type}s/${name}`;
}
