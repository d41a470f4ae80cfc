import type { RepoRef, SpaceBuild } from "../events/bridge-event.ts";
import type { Store } from "../store/store.ts";

/** A Space build a check run follows, with what the poller has reported of it so far. */
export interface FollowedBuild extends SpaceBuild {
  repo: RepoRef;
  timeoutMinutes: number;
  lastStage?: string;
  /** Stage changes reported so far; part of each event's dedupe key. */
  reported: number;
}

/** The builds followed for one Space and GitHub repo: the newest, and older ones it overtook. */
interface FollowedSpace {
  current?: FollowedBuild;
  superseded: Array<{ build: FollowedBuild; by: string }>;
}

export type FollowedSpaces = Record<string, FollowedSpace>;

export interface SpaceBuildRegistry {
  /** Starts following a build; a different unfinished build of the same Space is superseded. */
  follow(build: FollowedBuild): Promise<void>;
  read(): Promise<FollowedSpaces>;
  /** Read-modify-write of one entry; `undefined` from `change` forgets it. */
  update(key: string, change: (entry: FollowedSpace) => FollowedSpace | undefined): Promise<void>;
}

/** One store key holds every followed build, so the poller finds them again after a restart. */
const STATE_KEY = "space-builds";

/**
 * Followed Space builds in the store's key-value state. Changes are serialised within the process
 * (the executor adds builds while the poller moves them on); run one poller per store.
 */
export function createSpaceBuildRegistry(store: Store): SpaceBuildRegistry {
  let queue: Promise<unknown> = Promise.resolve();

  async function read(): Promise<FollowedSpaces> {
    const value = await store.getState(STATE_KEY);
    return value !== null && typeof value === "object" ? (value as FollowedSpaces) : {};
  }

  function serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  }

  function update(
    key: string,
    change: (entry: FollowedSpace) => FollowedSpace | undefined,
  ): Promise<void> {
    return serialised(async () => {
      const all = await read();
      const next = change(all[key] ?? { superseded: [] });
      if (next === undefined || (next.current === undefined && next.superseded.length === 0)) {
        delete all[key];
      } else {
        all[key] = next;
      }
      await store.setState(STATE_KEY, all);
    });
  }

  return {
    read: () => serialised(read),
    update,
    follow: (build) =>
      update(followedSpaceKey(build), (entry) => {
        const { current } = entry;
        if (current === undefined) return { ...entry, current: build };
        if (current.checkRun === build.checkRun) return entry;
        return {
          current: build,
          superseded: [...entry.superseded, { build: current, by: build.hubSha }],
        };
      }),
  };
}

/** Two routes may report the same Space to two GitHub repos; each follows its own check run. */
function followedSpaceKey(build: Pick<FollowedBuild, "github" | "repo">): string {
  return `${build.github}|${build.repo.name}`;
}
