import type { Job, Store } from "../store/store.ts";
import type { WriteKind } from "../store/write-schedule.ts";
import type { RepoClient } from "./create-octokit-factory.ts";

/** What an effect handler works with: the repo's client, the store and a throttled, mapped sender. */
export interface EffectRun {
  client: RepoClient;
  store: Store;
  job: Job;
  /** Signs the hidden marker that lets a lost create be found again. */
  markerKey: string;
  /** `owner/repo`, as links store it. */
  repoName: string;
  /** The executor's clock (epoch ms); create intents are dated with it. */
  now: () => number;
  /**
   * How long after a create's request was sent it may still land on GitHub: a lookup made before
   * then proves nothing (see create-once.ts).
   */
  lostCreateSettleMs: number;
  send<T>(
    kind: "read" | WriteKind,
    description: string,
    request: (options: { signal: AbortSignal }) => Promise<T>,
    options?: { beforeSend?: () => Promise<void> },
  ): Promise<T>;
}
