import type { Command } from "commander";

export const DEFAULT_DATA_DIR = "./data";
export const SQLITE_FILE_NAME = "bridge.db";

export interface StoreOptions {
  data: string;
  store?: string;
}

/** `--data` and `--store`, shared by `serve` and the commands that read the store. */
export function addStoreOptions(command: Command): Command {
  return command
    .option(
      "--data <dir>",
      `directory of the embedded SQLite store (${SQLITE_FILE_NAME})`,
      DEFAULT_DATA_DIR,
    )
    .option(
      "--store <url>",
      "store to use instead: a SQLite file path or a postgres:// URL (env HF_BRIDGE_STORE)",
    );
}
