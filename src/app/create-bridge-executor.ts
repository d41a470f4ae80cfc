import type { Logger } from "pino";
import { createCommitMatchingExecutor } from "../checks/create-commit-matching-executor.ts";
import type { SpaceBuildRegistry } from "../checks/create-space-build-registry.ts";
import type { BridgeConfig } from "../config/config-schema.ts";
import { createGitHubExecutor } from "../github/create-github-executor.ts";
import type { OctokitFactory } from "../github/create-octokit-factory.ts";
import { createWriteBudgetExecutor } from "../github/create-write-budget-executor.ts";
import type { Executor } from "../github/executor.ts";
import { createWriteThrottle, type WriteLimits } from "../github/write-throttle.ts";
import type { HubClient } from "../hub/create-hub-client.ts";
import { createMirrorExecutor } from "../mirror/create-mirror-executor.ts";
import { createRepoVisibility } from "../mirror/create-repo-visibility.ts";

export interface GitHubExecutorChainOptions {
  config: BridgeConfig;
  octokitFactory: OctokitFactory;
  markerKey: string;
  builds: SpaceBuildRegistry;
  hub: { hubUrl: string; fetch: typeof fetch; accessToken?: string };
  /** The bridge's own Hub account, whose comments are echoes of GitHub replies. */
  hubAccountId?: string;
  /** With HF_TOKEN: lets the mirror check a discussion's live status when deliveries race. */
  hubDiscussions?: Pick<HubClient, "getDiscussion">;
  logger: Logger;
  /** GitHub's write spacing and content caps; tests shorten them, production keeps GitHub's. */
  writeLimits?: Partial<WriteLimits>;
}

/**
 * The GitHub executor behind the feature wrappers that need I/O before a write: commit matching for
 * check runs (it may rewrite the effect) and the discussion mirror's policies and ordering; outermost,
 * the per-thread write budget that stops a loop.
 */
export function createGitHubExecutorChain(options: GitHubExecutorChainOptions): Executor {
  const { config, octokitFactory, markerKey, builds, hub } = options;
  const github = createGitHubExecutor({
    octokitFactory,
    throttle: createWriteThrottle(options.writeLimits ? { limits: options.writeLimits } : {}),
    markerKey,
  });
  const mirror = createMirrorExecutor({
    inner: github,
    config,
    visibility: createRepoVisibility({ octokitFactory }),
    ...(options.hubAccountId ? { hubAccountId: options.hubAccountId } : {}),
    ...(options.hubDiscussions ? { hub: options.hubDiscussions } : {}),
  });
  const matched = createCommitMatchingExecutor({ inner: mirror, octokitFactory, hub, builds });
  return createWriteBudgetExecutor({ inner: matched, logger: options.logger });
}
