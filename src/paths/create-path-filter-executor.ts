import type { Effect, PathFilter } from "../effects/effect.ts";
import type { HubReadOptions } from "../hub/send-hub-read.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../jobs/executor.ts";
import type { Job } from "../store/store.ts";
import { listChangedPaths } from "./list-changed-paths.ts";
import { matchChangedPaths } from "./match-changed-paths.ts";

/**
 * Paths listed in a client_payload. A workflow gets the first ones and the count; the whole list of
 * a 10,000-file import would not fit GitHub's 64 KB payload, and the workflow can list it itself.
 */
export const MAX_CHANGED_PATHS_IN_PAYLOAD = 100;
/** Bytes of listed paths, so long names cannot push the payload past GitHub's 64 KB either. */
const MAX_CHANGED_PATH_BYTES = 16_000;
/** Shown in a skipped dispatch's reason: enough to see what the push was about. */
const PATHS_IN_REASON = 5;

interface PathFilterExecutorOptions {
  inner: Executor;
  hub: Omit<HubReadOptions, "signal">;
}

/**
 * Decides dispatches with `paths` / `pathsIgnore` when they run: the changed files are read from the
 * Hub (the planner stays pure), the dispatch is sent with the matching ones in its client_payload, or
 * skipped with a reason naming what changed. A failed read throws, so the job is retried: a dispatch
 * is never sent, nor dropped, without knowing what the push changed.
 */
export function createPathFilterExecutor(options: PathFilterExecutorOptions): Executor {
  const { inner, hub } = options;
  // Rules and refs of one push often compare the same two commits; each pair is read once a job.
  const reads = new WeakMap<Job, Map<string, Promise<string[]>>>();

  function changedPaths(filter: PathFilter, context: ExecutionContext): Promise<string[]> {
    let known = reads.get(context.job);
    if (known === undefined) {
      known = new Map();
      reads.set(context.job, known);
    }
    const key = `${filter.hubRepo.type}:${filter.hubRepo.name}:${filter.oldSha}:${filter.newSha}`;
    const earlier = known.get(key);
    if (earlier !== undefined) return earlier;
    const read = listChangedPaths(filter, { ...hub, signal: context.signal });
    known.set(key, read);
    read.catch(() => known.delete(key));
    return read;
  }

  async function execute(effect: Effect, context: ExecutionContext): Promise<ExecutedEffect> {
    if (
      (effect.type !== "repository-dispatch" && effect.type !== "workflow-dispatch") ||
      effect.pathFilter === undefined ||
      inner.mode === "dry-run"
    ) {
      return inner.execute(effect, context);
    }
    const filter = effect.pathFilter;
    const changed = await changedPaths(filter, context);
    const counted = matchChangedPaths(changed, filter);
    if (counted.length === 0) {
      const shown = changed.slice(0, PATHS_IN_REASON).join(", ");
      const more = changed.length > PATHS_IN_REASON ? `, … (${changed.length} in all)` : "";
      return {
        status: "skipped",
        detail: `no changed file counts for this rule (paths ${JSON.stringify(filter.paths ?? ["**"])}${filter.pathsIgnore ? `, pathsIgnore ${JSON.stringify(filter.pathsIgnore)}` : ""}); changed: ${shown || "nothing"}${more}`,
      };
    }
    if (effect.type === "workflow-dispatch") return inner.execute(effect, context);
    const listed = capPaths(counted);
    return inner.execute(
      {
        ...effect,
        clientPayload: {
          ...effect.clientPayload,
          changes: {
            paths: listed,
            count: counted.length,
            truncated: listed.length < counted.length,
          },
        },
      },
      context,
    );
  }

  return { mode: inner.mode, execute };
}

function capPaths(paths: readonly string[]): string[] {
  const listed: string[] = [];
  let bytes = 0;
  for (const path of paths) {
    bytes += Buffer.byteLength(path, "utf8") + 3;
    if (listed.length === MAX_CHANGED_PATHS_IN_PAYLOAD || bytes > MAX_CHANGED_PATH_BYTES) break;
    listed.push(path);
  }
  return listed;
}
