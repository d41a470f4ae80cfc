import picomatch from "picomatch";
import type { PathFilter } from "../effects/effect.ts";

/**
 * The changed paths that count for a rule: those matching `paths` (every path, when absent) and none
 * of `pathsIgnore`. Globs as in GitHub's `on.push.paths`: `*` stays inside a folder, `**` crosses
 * them, dotfiles match.
 */
export function matchChangedPaths(
  changed: readonly string[],
  filter: Pick<PathFilter, "paths" | "pathsIgnore">,
): string[] {
  const wanted = filter.paths ? picomatch(filter.paths, { dot: true }) : () => true;
  const ignored = filter.pathsIgnore ? picomatch(filter.pathsIgnore, { dot: true }) : () => false;
  return changed.filter((path) => wanted(path) && !ignored(path));
}
