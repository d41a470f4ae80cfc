import type { Effect } from "../effects/effect.ts";
import type { OctokitFactory } from "../github/create-octokit-factory.ts";
import { type HubReadOptions, readHubCommitMessage } from "../hub/read-hub-commit-message.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../jobs/executor.ts";
import type { Job } from "../store/store.ts";
import { githubMarkdown } from "../text/github-markdown.ts";
import type { SpaceBuildRegistry } from "./create-space-build-registry.ts";
import { findGitHubCommit } from "./find-github-commit.ts";
import { matchGitHubCommit } from "./match-github-commit.ts";

type CreateCheckRun = Extract<Effect, { type: "create-check-run" }>;

interface CommitMatchingExecutorOptions {
  /** The executor that writes to GitHub (or plans, in dry-run). */
  inner: Executor;
  octokitFactory: OctokitFactory;
  hub: HubReadOptions;
  /** Where followed Space builds are kept for the Space runtime poller. */
  builds: SpaceBuildRegistry;
  now?: () => Date;
}

/**
 * Resolves a planned check run's commit before it is written: planners stay pure because the only
 * I/O (GitHub commit lookups, the Hub commit message) happens here, on the executor side. A check
 * run with no matching GitHub commit writes nothing and its result says why; one that follows a
 * Space build is handed to the Space runtime poller once it exists.
 */
export function createCommitMatchingExecutor(options: CommitMatchingExecutorOptions): Executor {
  const { inner, octokitFactory, hub, builds } = options;
  const now = options.now ?? (() => new Date());
  // The refs of one push often share a SHA (a branch and the tag made on it); each answer is asked
  // for once per job. Kept per job, so a retry asks again and a new push never sees an old answer.
  const lookups = new WeakMap<Job, Map<string, Promise<unknown>>>();
  function once<T>(job: Job, key: string, lookup: () => Promise<T>): Promise<T> {
    let answers = lookups.get(job);
    if (answers === undefined) {
      answers = new Map();
      lookups.set(job, answers);
    }
    const known = answers.get(key);
    if (known !== undefined) return known as Promise<T>;
    const answer = lookup();
    answers.set(key, answer);
    answer.catch(() => answers.delete(key));
    return answer;
  }

  async function execute(effect: Effect, context: ExecutionContext): Promise<ExecutedEffect> {
    // A dry run shows the plan as it is: matching would need GitHub credentials.
    if (
      effect.type !== "create-check-run" ||
      effect.commitMatch === undefined ||
      inner.mode === "dry-run"
    ) {
      return inner.execute(effect, context);
    }
    // Already written by an earlier attempt: the inner executor skips it without any lookup.
    if ((await context.store.getLink(effect.link)) !== undefined) {
      return inner.execute(effect, context);
    }
    const match = effect.commitMatch;
    const client = await octokitFactory.forRepo(effect.repo);
    const github = `${effect.repo.owner}/${effect.repo.repo}`;
    const result = await matchGitHubCommit(match, effect.repo, {
      findGitHubCommit: (ref) =>
        once(context.job, `github:${github}:${ref}`, () =>
          findGitHubCommit(client, effect.repo, ref),
        ),
      readHubCommitMessage: () =>
        once(context.job, `hub:${match.hubRepo.type}:${match.hubRepo.name}:${match.hubSha}`, () =>
          readHubCommitMessage(match.hubRepo, match.hubSha, hub),
        ),
    });
    if (!result.matched) {
      return {
        status: "skipped",
        detail: `no GitHub commit matches Hub ${match.hubRepo.type} ${match.hubRepo.name} ${match.hubRef} @ ${match.hubSha}: ${result.reason}`,
      };
    }
    const resolved: CreateCheckRun = {
      ...effect,
      headSha: result.sha,
      output: {
        ...effect.output,
        summary: `${effect.output.summary}\n${githubMarkdown`GitHub commit: ${{ hubText: result.sha }} (matched by ${{ hubText: result.how }})`}`,
      },
    };
    context.log.info(
      { hubSha: match.hubSha, githubSha: result.sha, how: result.how },
      "Hub commit matched to a GitHub commit",
    );
    const executed = await inner.execute(resolved, context);
    if (match.spaceBuild === undefined) return executed;
    // The poller's first update needs the link, so it is stored before the build is followed; the
    // worker records it again with the result, which changes nothing.
    for (const link of executed.links ?? []) await context.store.putLink(link);
    await builds.follow({
      github: `${effect.repo.owner}/${effect.repo.repo}`,
      checkRun: effect.link,
      hubRef: match.hubRef,
      hubSha: match.hubSha,
      githubSha: result.sha,
      startedAt: now().toISOString(),
      repo: match.hubRepo,
      timeoutMinutes: match.spaceBuild.timeoutMinutes,
      reported: 0,
    });
    return {
      ...executed,
      detail: `${executed.detail ?? "check run written"}; following the Space build`,
    };
  }

  return { mode: inner.mode, execute };
}
