import type { Command } from "commander";

export const DEFAULT_DATA_DIR = "./data";
/** Where a Hugging Face Space mounts its persistent storage; the store goes there when it can. */
export const SPACE_DATA_DIR = "/data";
export const SQLITE_FILE_NAME = "bridge.db";

export interface StoreOptions {
  /** Unset unless given: the default depends on whether SPACE_DATA_DIR is writable. */
  data?: string;
  store?: string;
}

/** `--data` and `--store`, shared by `serve` and the commands that read the store. */
export function addStoreOptions(command: Command): Command {
  return command
    .option(
      "--data <dir>",
      `directory of the embedded SQLite store (${SQLITE_FILE_NAME}); default ${SPACE_DATA_DIR} when it is a writable directory (a Space's persistent storage), else ${DEFAULT_DATA_DIR}`,
    )
    .option(
      "--store <url>",
      "store to use instead: a SQLite file path or a postgres:// URL (env HF_BRIDGE_STORE)",
    );
}
