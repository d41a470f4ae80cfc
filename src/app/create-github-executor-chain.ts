import type { Logger } from "pino";
import { createCommitMatchingExecutor } from "../checks/create-commit-matching-executor.ts";
import type { SpaceBuildRegistry } from "../checks/create-space-build-registry.ts";
import type { BridgeConfig } from "../config/config-schema.ts";
import type { PlannedEffect } from "../effects/effect.ts";
import { createGitHubExecutor, REQUEST_TIMEOUT_MS } from "../github/create-github-executor.ts";
import type { OctokitFactory } from "../github/create-octokit-factory.ts";
import { createWriteBudgetExecutor } from "../github/create-write-budget-executor.ts";
import { createWriteThrottle } from "../github/write-throttle.ts";
import type { HubClient } from "../hub/create-hub-client.ts";
import type { Executor } from "../jobs/executor.ts";
import { createMirrorExecutor } from "../mirror/create-mirror-executor.ts";
import { createRepoVisibility } from "../mirror/create-repo-visibility.ts";
import { createWriteBackExecutor } from "../mirror/create-write-back-executor.ts";
import { createPathFilterExecutor } from "../paths/create-path-filter-executor.ts";
import { createRunReportExecutor } from "../pull-requests/create-run-report-executor.ts";
import { createTrustGateExecutor } from "../pull-requests/create-trust-gate-executor.ts";
import type { WriteLimits, WriteSchedule } from "../store/write-schedule.ts";

/** What tests shorten or tighten; production runs on the defaults. */
export interface GitHubTuning {
  requestTimeoutMs?: number;
  lostCreateMarginMs?: number;
  writeLimits?: Partial<WriteLimits>;
  writesPerHour?: number;
}

export interface GitHubExecutorChainOptions {
  config: BridgeConfig;
  octokitFactory: OctokitFactory;
  markerKey: string;
  builds: SpaceBuildRegistry;
  hub: { hubUrl: string; fetch: typeof fetch; accessToken?: string };
  /** The bridge's own Hub account, whose comments are echoes of GitHub replies. */
  hubAccountId?: string;
  /**
   * With HF_TOKEN: lets the mirror check a discussion's live status when deliveries race, and writes
   * GitHub replies back to the Hub.
   */
  hubDiscussions?: HubClient;
  /** How long a Hub write whose answer was lost may still land; only tests shorten it. */
  hubLandingWindowMs?: number;
  logger: Logger;
  /** Rate-limit pauses, write spacing and lost-create windows run on this clock; default the wall clock. */
  clock?: { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> };
  tuning?: GitHubTuning;
  /** The store's fleet-wide write schedule when replicas share it (PostgreSQL). */
  fleet?: WriteSchedule;
}

/**
 * A replica that dies mid-write holds its lane until the request's timeout has passed and this
 * margin more, by when its request can no longer be in flight.
 */
const FLEET_HOLD_MARGIN_MS = 5_000;

/**
 * The GitHub executor behind the feature wrappers that need I/O before a write: commit matching for
 * check runs (it may rewrite the effect) and the discussion mirror's policies and ordering; then the
 * per-thread write budget that stops a loop; then write-back, which sends Hub effects (replies and
 * closes from GitHub) to the Hub and everything else inward; outermost, the Hub PR CI results, which
 * write to the Hub and, through the rest of the chain, to the mirrored issue.
 */
export function createGitHubExecutorChain(
  options: GitHubExecutorChainOptions,
): Executor<PlannedEffect> {
  const { config, octokitFactory, markerKey, builds, hub, clock, tuning = {} } = options;
  const github = createGitHubExecutor({
    octokitFactory,
    throttle: createWriteThrottle({
      ...(clock ? { now: clock.now, sleep: clock.sleep } : {}),
      ...(tuning.writeLimits ? { limits: tuning.writeLimits } : {}),
      ...(options.fleet
        ? {
            fleet: {
              schedule: options.fleet,
              holdMs: (tuning.requestTimeoutMs ?? REQUEST_TIMEOUT_MS) + FLEET_HOLD_MARGIN_MS,
            },
          }
        : {}),
    }),
    markerKey,
    ...(clock ? { now: clock.now, timeout: (ms: number) => timeoutOn(clock, ms) } : {}),
    ...(tuning.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: tuning.requestTimeoutMs }),
    ...(tuning.lostCreateMarginMs === undefined
      ? {}
      : { lostCreateMarginMs: tuning.lostCreateMarginMs }),
  });
  const mirror = createMirrorExecutor({
    inner: github,
    config,
    visibility: createRepoVisibility({ octokitFactory }),
    ...(options.hubAccountId ? { hubAccountId: options.hubAccountId } : {}),
    ...(options.hubDiscussions ? { hub: options.hubDiscussions } : {}),
  });
  const matched = createTrustGateExecutor({
    inner: createPathFilterExecutor({
      inner: createCommitMatchingExecutor({ inner: mirror, octokitFactory, hub, builds }),
      hub,
    }),
    hub: options.hubDiscussions,
    members: hub,
    octokitFactory,
  });
  const writeBack = createWriteBackExecutor({
    inner: createWriteBudgetExecutor({
      inner: matched,
      logger: options.logger,
      ...(clock ? { now: clock.now } : {}),
      ...(options.fleet ? { fleet: options.fleet } : {}),
      ...(tuning.writesPerHour === undefined ? {} : { writesPerHour: tuning.writesPerHour }),
    }),
    config,
    octokitFactory,
    hub: options.hubDiscussions,
    ...(options.hubAccountId ? { hubAccountId: options.hubAccountId } : {}),
    ...(options.hubLandingWindowMs === undefined
      ? {}
      : { landingWindowMs: options.hubLandingWindowMs }),
  });
  return createRunReportExecutor({
    inner: writeBack,
    hub: options.hubDiscussions,
    ...(options.hubLandingWindowMs === undefined
      ? {}
      : { landingWindowMs: options.hubLandingWindowMs }),
  });
}

/** AbortSignal.timeout on an injected clock (a test's fast one), aborting with the same TimeoutError. */
function timeoutOn(
  clock: NonNullable<GitHubExecutorChainOptions["clock"]>,
  ms: number,
): AbortSignal {
  const controller = new AbortController();
  void clock
    .sleep(ms)
    .then(() =>
      controller.abort(
        new DOMException("The operation was aborted due to timeout", "TimeoutError"),
      ),
    );
  return controller.signal;
}
