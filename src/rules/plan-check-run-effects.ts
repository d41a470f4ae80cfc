import type { Route } from "../config/config-schema.ts";
import type { Effect } from "../effects/effect.ts";
import type { BridgeEvent, RefUpdate, RepoRef } from "../events/bridge-event.ts";
import { githubMarkdown } from "../text/github-markdown.ts";
import { githubTitle } from "../text/github-title.ts";
import { matchRoutes } from "./match-routes.ts";
import type { PlannedEffects } from "./planned-effects.ts";
import { toGitHubRepoRef } from "./to-github-repo-ref.ts";

type ContentUpdatedEvent = Extract<BridgeEvent, { kind: "content.updated" }>;

/** A Space builds from its main branch only; pushes to other refs are received, never built. */
const SPACE_BUILD_REF = "refs/heads/main";
const SHORT_SHA_LENGTH = 7;

/**
 * One check run per updated ref for every route with `commits: checks`: a new SHA says the Hub
 * received it (a Space's main branch starts `in_progress` and follows the build), a deleted tag or
 * branch is reported on its last commit. Which GitHub commit carries it is decided by the executor
 * (see CommitMatch), so this stays pure.
 */
export function planCheckRunEffects(
  event: ContentUpdatedEvent,
  routes: readonly Route[],
): PlannedEffects {
  const checked = matchRoutes(routes, event.repo).filter((route) => route.commits === "checks");
  // Checks are off for this repo: nothing worth a reason beside the other planners' ones.
  if (checked.length === 0) return { effects: [] };
  const effects = checked.flatMap((route) =>
    event.refs.flatMap((update) => {
      const effect = checkRunEffect(event.repo, update, route);
      return effect ? [effect] : [];
    }),
  );
  if (effects.length > 0) return { effects };
  return { effects: [], reason: "the event updated no ref" };
}

/** One check run per GitHub repo, Hub repo, ref and commit (a deletion gets its own). */
function checkRunLinkKey(github: string, repo: RepoRef, ref: string, sha: string): string {
  return `hub-check:${github}:${repo.id}:${ref}:${sha}`;
}

function checkRunEffect(repo: RepoRef, update: RefUpdate, route: Route): Effect | undefined {
  const sha = update.newSha ?? update.oldSha;
  if (sha === null) return undefined;
  const deleted = update.newSha === null;
  const building = !deleted && repo.type === "space" && update.ref === SPACE_BUILD_REF;
  const link = checkRunLinkKey(route.github, repo, update.ref, deleted ? `deleted:${sha}` : sha);
  const fallbackBranch = route.checks.fallbackToBranchHead
    ? githubBranch(update.ref, route)
    : undefined;
  const commitUrl = `${repo.webUrl}/commit/${sha}`;
  return {
    type: "create-check-run",
    idempotencyKey: `check-run:${link}`,
    repo: toGitHubRepoRef(route.github),
    link,
    name: route.checks.name,
    headSha: sha,
    status: building ? "in_progress" : "completed",
    ...(building ? {} : { conclusion: deleted ? "neutral" : "success" }),
    detailsUrl: deleted ? repo.webUrl : commitUrl,
    output: {
      title: checkRunTitle(repo, update, building),
      summary: checkRunSummary(repo, update, commitUrl),
    },
    commitMatch: {
      hubRepo: repo,
      hubRef: update.ref,
      hubSha: sha,
      ...(fallbackBranch ? { fallbackBranch } : {}),
      ...(building ? { spaceBuild: { timeoutMinutes: route.checks.spaceTimeoutMinutes } } : {}),
    },
  };
}

function checkRunTitle(repo: RepoRef, update: RefUpdate, building: boolean): string {
  const where = { hubText: `${hubRepoLabel(repo)} ${repo.name}` };
  const ref = { hubText: refLabel(update.ref) };
  if (update.newSha === null) return githubTitle`${ref} was deleted from ${where}`;
  const sha = { hubText: update.newSha.slice(0, SHORT_SHA_LENGTH) };
  return building
    ? githubTitle`${where} is building ${ref} @ ${sha}`
    : githubTitle`${where} received ${ref} @ ${sha}`;
}

function checkRunSummary(repo: RepoRef, update: RefUpdate, commitUrl: string): string {
  const commit = { hubUrl: commitUrl };
  const lines = [
    githubMarkdown`Hub ${{ hubText: repo.type }}: [${{ hubText: repo.name }}](${{ hubUrl: repo.webUrl }})`,
    githubMarkdown`Ref: \`${{ hubText: update.ref }}\``,
  ];
  if (update.newSha === null) {
    lines.push(
      githubMarkdown`Deleted; it pointed at [${{ hubText: update.oldSha ?? "" }}](${commit}).`,
    );
  } else {
    lines.push(githubMarkdown`Commit: [${{ hubText: update.newSha }}](${commit})`);
    if (update.oldSha) lines.push(githubMarkdown`Previous: \`${{ hubText: update.oldSha }}\``);
    if (update.ref.startsWith("refs/heads/")) {
      const files = `${repo.webUrl}/tree/${refLabel(update.ref)}`;
      lines.push(githubMarkdown`Files: [${{ hubText: files }}](${{ hubUrl: files }})`);
    }
  }
  return lines.join("\n");
}

function hubRepoLabel(repo: RepoRef): string {
  return repo.type === "space" ? "Space" : repo.type === "dataset" ? "Dataset" : "Model";
}

/** `refs/heads/main` → `main`, `refs/tags/v1` → `tag v1`, `refs/pr/3` → `refs/pr/3`. */
function refLabel(ref: string): string {
  if (ref.startsWith("refs/heads/")) return ref.slice("refs/heads/".length);
  if (ref.startsWith("refs/tags/")) return `tag ${ref.slice("refs/tags/".length)}`;
  return ref;
}

/** Only branches map onto a GitHub branch; tags and Hub PR refs have no head to fall back to. */
function githubBranch(ref: string, route: Route): string | undefined {
  if (!ref.startsWith("refs/heads/")) return undefined;
  const branch = ref.slice("refs/heads/".length);
  return route.checks.branches[branch] ?? branch;
}
