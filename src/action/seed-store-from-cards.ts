import type { EndpointWatch } from "../config/config-schema.ts";
import { endpointStateKey } from "../endpoints/endpoint-state-key.ts";
import { DELETED_STATE } from "../endpoints/record-endpoint-deletion.ts";
import type { RepoClient } from "../github/create-octokit-factory.ts";
import { hashText } from "../github/hash-text.ts";
import { watchedNamesKey } from "../pollers/endpoints/watched-names-key.ts";
import { endpointWatchesMatching } from "../rules/endpoint-watches-matching.ts";
import type { Store } from "../store/store.ts";
import { readLinkMarker } from "../text/link-marker.ts";
import { readEndpointCardState } from "./read-endpoint-card-state.ts";

const CARD_LINK_PREFIX = "endpoint-card:";
/** GitHub's largest page of issues. */
const PAGE_SIZE = 100;
/** 50 pages are 5,000 cards by this account in one repository, far beyond any endpoint fleet. */
const MAX_PAGES = 50;

interface SeededCards {
  cards: number;
  /** Cards without a readable state block: their endpoint is treated as seen for the first time. */
  withoutState: number;
}

/**
 * Fills a fresh store with what the card issues remember: a link per card (with the hashes of its
 * current title and body, so an unchanged card is not rewritten) and each endpoint's last reported
 * state. Only issues authored by the token's own account count: anyone can paste a marker.
 */
export async function seedStoreFromCards(input: {
  store: Store;
  watches: readonly EndpointWatch[];
  clientFor: (repo: { owner: string; repo: string }) => Promise<RepoClient>;
  markerKey: string;
}): Promise<SeededCards> {
  const { store, watches, markerKey } = input;
  const seeded: SeededCards = { cards: 0, withoutState: 0 };
  const listedByNamespace = new Map<string, string[]>();
  for (const fullName of new Set(watches.map((watch) => watch.github))) {
    const [owner = "", repo = ""] = fullName.split("/");
    const client = await input.clientFor({ owner, repo });
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await client.octokit.request("GET /repos/{owner}/{repo}/issues", {
        owner,
        repo,
        creator: client.botLogin,
        state: "all",
        per_page: PAGE_SIZE,
        page,
      });
      for (const issue of data) {
        const body = issue.body ?? "";
        const key = issue.pull_request ? undefined : readLinkMarker(body, markerKey);
        if (issue.user?.login !== client.botLogin || !key?.startsWith(CARD_LINK_PREFIX)) continue;
        await store.putLink({
          key,
          kind: "issue",
          repo: fullName,
          githubId: Number(issue.id),
          githubNumber: issue.number,
          state: { titleHash: hashText(issue.title), bodyHash: hashText(body) },
        });
        seeded.cards++;
        const state = readEndpointCardState(body);
        if (state === undefined) {
          seeded.withoutState++;
          continue;
        }
        const { namespace, name } = state.snapshot;
        await store.setState(endpointStateKey(namespace, name), state);
        const watched = endpointWatchesMatching(watches, namespace, name).length > 0;
        if (watched && state.snapshot.state !== DELETED_STATE) {
          listedByNamespace.set(namespace, [...(listedByNamespace.get(namespace) ?? []), name]);
        }
      }
      if (data.length < PAGE_SIZE) break;
    }
  }
  for (const [namespace, names] of listedByNamespace) {
    await store.setState(watchedNamesKey(namespace), [...new Set(names)].sort());
  }
  return seeded;
}
