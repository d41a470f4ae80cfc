import type { PathFilter } from "../effects/effect.ts";
import { type HubReadOptions, sendHubRead } from "./send-hub-read.ts";

/** One page of a tree listing; a Hub that has not answered by then fails the attempt, which is retried. */
const HUB_TREE_PAGE_TIMEOUT_MS = 30_000;
/**
 * Pages read for one revision. The Hub pages a recursive listing (about a thousand entries a page), so
 * this is room for a million files; a repo past it is refused with a reason rather than half-compared.
 */
const MAX_HUB_TREE_PAGES = 1_000;

interface TreeEntry {
  type?: unknown;
  path?: unknown;
  oid?: unknown;
}

/**
 * Every file of a Hub repo at one revision, path → blob id, from `GET /api/{type}s/{repo}/tree/{rev}
 * ?recursive=true`, following the `Link: rel="next"` pages on the same Hub. Any failure is thrown
 * with what was asked and how to fix it, so the job is retried, never half-answered.
 */
export async function listHubTree(
  repo: PathFilter["hubRepo"],
  revision: string,
  options: HubReadOptions,
): Promise<Map<string, string>> {
  const base = options.hubUrl.replace(/\/+$/, "");
  const origin = new URL(base).origin;
  const files = new Map<string, string>();
  let next: string | undefined =
    `${base}/api/${repo.type}s/${repo.name}/tree/${encodeURIComponent(revision)}?recursive=true&expand=false`;
  for (let page = 0; next !== undefined; page += 1) {
    if (page === MAX_HUB_TREE_PAGES) {
      throw new Error(
        `the Hub tree of ${repo.type} ${repo.name} at ${revision} has more than ${MAX_HUB_TREE_PAGES} pages; remove paths/pathsIgnore from the dispatch rule for this repo`,
      );
    }
    const response = await sendHubRead(next, HUB_TREE_PAGE_TIMEOUT_MS, options);
    if (!response.ok) {
      await response.body?.cancel();
      const hint =
        response.status === 401 || response.status === 403 || response.status === 404
          ? "; set HF_TOKEN to a token that can read the repo (private repos need one)"
          : "";
      throw new Error(
        `reading the changed files of ${repo.type} ${repo.name} failed: the Hub answered ${response.status} for the tree at ${revision}${hint}`,
      );
    }
    const entries = (await response.json()) as unknown;
    if (!Array.isArray(entries)) {
      throw new Error(
        `the Hub's tree of ${repo.type} ${repo.name} at ${revision} is not a list; check HF_ENDPOINT points at a Hub`,
      );
    }
    for (const entry of entries as TreeEntry[]) {
      if (entry.type === "file" && typeof entry.path === "string") {
        files.set(entry.path, typeof entry.oid === "string" ? entry.oid : "");
      }
    }
    next = nextPage(response.headers.get("link"), origin);
  }
  return files;
}

/** The `rel="next"` target, only when it is on the Hub asked: a Link elsewhere is never followed. */
function nextPage(link: string | null, origin: string): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (!match?.[1]) continue;
    const target = URL.parse(match[1], origin);
    if (!target || target.origin !== origin) {
      throw new Error(
        `the Hub's next page link ${JSON.stringify(match[1])} leaves ${origin}; check HF_ENDPOINT`,
      );
    }
    return target.href;
  }
  return undefined;
}
