import { type ChildProcess, spawn } from "node:child_process";

/** The image's file system: a directory laid out as `/`, and where this machine's tools come from. */
export interface ImageRoot {
  /** The directory that is `/` inside: /app, /data, /tmp live here; /usr and /etc are this machine's. */
  dir: string;
  /** Directory holding the Node 24 binary, mounted at /opt/node24 (the image's Node). */
  nodeBinDir: string;
  /** npm's package directory, mounted at /opt/npm; `npm` on PATH runs it with that Node. */
  npmDir: string;
  /** This machine's npm cache, mounted at /root/.npm so installs do not download everything again. */
  npmCacheDir?: string;
}

/** PATH inside: the image's Node first, as in node:24-slim (sbin for mount and chroot before entering). */
const IMAGE_PATH = "/opt/node24:/opt/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";

/**
 * Sets up the mounts in a private mount namespace (nothing leaks to this machine), then chroots into
 * the root as the given user with the environment it was started with, less the three variables
 * that say what to mount. $1 is the root, $2 the uid:gid, $3 the working directory; the rest is the
 * command.
 */
const ENTER_IMAGE = `
set -e
R="$1"; USERSPEC="$2"; WORKDIR="$3"; shift 3
for d in usr etc; do
  mkdir -p "$R/$d"; mount --rbind "/$d" "$R/$d"; mount -o remount,bind,ro "$R/$d" 2>/dev/null || true
done
for d in bin sbin lib lib64 lib32; do
  if [ -L "/$d" ]; then ln -sfn "$(readlink "/$d")" "$R/$d"
  elif [ -d "/$d" ]; then mkdir -p "$R/$d"; mount --rbind "/$d" "$R/$d"; fi
done
for d in dev proc sys; do mkdir -p "$R/$d"; mount --rbind "/$d" "$R/$d"; done
mkdir -p "$R/opt/node24" "$R/opt/npm" "$R/opt/bin" "$R/root" "$R/tmp"
chmod 1777 "$R/tmp"
mount --bind "$NODE_BIN_DIR" "$R/opt/node24"
mount --bind "$NPM_DIR" "$R/opt/npm"
printf '#!/bin/sh\\nexec node /opt/npm/bin/npm-cli.js "$@"\\n' > "$R/opt/bin/npm"; chmod 755 "$R/opt/bin/npm"
if [ -n "$NPM_CACHE_DIR" ]; then mkdir -p "$R/root/.npm"; mount --bind "$NPM_CACHE_DIR" "$R/root/.npm"; fi
exec chroot --userspec="$USERSPEC" "$R" /usr/bin/env -u NODE_BIN_DIR -u NPM_DIR -u NPM_CACHE_DIR \\
  /bin/sh -c 'cd "$0" && exec "$@"' "$WORKDIR" "$@"
`;

/**
 * Starts `argv` inside the image root as `user` (uid:gid) in `workdir`, with `env` as its whole
 * environment (plus PATH), the way a container runtime would. The process leads its own group, so
 * the caller can signal everything it started at once.
 */
export function runInImageRoot(
  root: ImageRoot,
  options: { user: string; workdir: string; env: Record<string, string>; argv: string[] },
): ChildProcess {
  return spawn(
    "unshare",
    [
      "--mount",
      "--propagation",
      "private",
      "--fork",
      "sh",
      "-c",
      ENTER_IMAGE,
      "enter-image",
      root.dir,
      options.user,
      options.workdir,
      ...options.argv,
    ],
    {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      // Nothing of this machine's environment reaches the image, as with a container.
      env: {
        PATH: IMAGE_PATH,
        ...options.env,
        NODE_BIN_DIR: root.nodeBinDir,
        NPM_DIR: root.npmDir,
        NPM_CACHE_DIR: root.npmCacheDir ?? "",
      },
    },
  );
}
