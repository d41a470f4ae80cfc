import { existsSync } from "node:fs";
import { createStore } from "../store/create-store.ts";
import type { Store } from "../store/store.ts";
import type { StoreOptions } from "./add-store-options.ts";
import { CliError } from "./cli-error.ts";
import type { CliIo } from "./cli-io.ts";
import { resolveStoreUrl } from "./resolve-store-url.ts";

/** Opens the store a running (or stopped) bridge writes to; never creates an empty one by mistake. */
export async function openExistingStore(options: StoreOptions, io: CliIo): Promise<Store> {
  const location = resolveStoreUrl(options, io.env, io.cwd);
  if (location.sqliteFile && !existsSync(location.sqliteFile)) {
    throw new CliError(
      `no store at ${location.shown} — fix: start the bridge with "npx hf-bridge serve" first, or pass the --data (or --store) it runs with`,
    );
  }
  try {
    return await createStore(location.url);
  } catch (error) {
    throw new CliError(
      `cannot open the store at ${location.shown}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
