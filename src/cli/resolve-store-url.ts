import { accessSync, constants, statSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  DEFAULT_DATA_DIR,
  SPACE_DATA_DIR,
  SQLITE_FILE_NAME,
  type StoreOptions,
} from "./add-store-options.ts";

interface StoreLocation {
  /** What `createStore` opens; SQLite paths are absolute. */
  url: string;
  /** For messages: the SQLite file, or the PostgreSQL URL without its password. */
  shown: string;
  /** The absolute SQLite file, so read-only commands can tell a missing store from an empty one. */
  sqliteFile?: string;
}

/**
 * `--store`, else HF_BRIDGE_STORE, else `<--data>/bridge.db`, where `--data` defaults to
 * `spaceDataDir` (/data) when that is a writable directory, so a Space with persistent storage keeps
 * its deliveries without any setting, else ./data. Relative paths are from `cwd`.
 */
export function resolveStoreUrl(
  options: StoreOptions,
  env: NodeJS.ProcessEnv,
  cwd: string,
  spaceDataDir: string = SPACE_DATA_DIR,
): StoreLocation {
  const url = options.store ?? (env.HF_BRIDGE_STORE?.trim() || undefined);
  if (url === undefined) {
    const data =
      options.data ?? (isWritableDirectory(spaceDataDir) ? spaceDataDir : DEFAULT_DATA_DIR);
    const file = join(data, SQLITE_FILE_NAME);
    return { url: resolve(cwd, file), shown: `${file} (SQLite)`, sqliteFile: resolve(cwd, file) };
  }
  if (/^postgres(ql)?:\/\//i.test(url))
    return { url, shown: `${withoutPassword(url)} (PostgreSQL)` };
  const file = url.replace(/^sqlite:/i, "");
  // Other schemes (mysql://…) go to createStore unchanged, which explains what it accepts.
  if (/^[a-z][a-z0-9+.-]+:/i.test(file)) return { url, shown: url };
  return { url: resolve(cwd, file), shown: `${file} (SQLite)`, sqliteFile: resolve(cwd, file) };
}

function isWritableDirectory(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function withoutPassword(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed?.password) return url;
  parsed.password = "***";
  return parsed.toString();
}
