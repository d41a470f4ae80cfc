import { Command, Option } from "commander";
import { ConfigError } from "../../config/config-error.ts";
import { loadConfig } from "../../config/load-config.ts";
import { HUB_REPO_TYPES, type HubRepoType } from "../../hf/hub-payload-schema.ts";
import { createHubClient } from "../../hub/create-hub-client.ts";
import {
  backfillDiscussions,
  MAX_BACKFILL_REPLIES_PER_DISCUSSION,
} from "../../mirror/backfill-discussions.ts";
import { addStoreOptions, type StoreOptions } from "../add-store-options.ts";
import { CliError } from "../cli-error.ts";
import type { CliIo } from "../cli-io.ts";
import { openExistingStore } from "../open-existing-store.ts";

interface BackfillOptions extends StoreOptions {
  type: HubRepoType;
  config?: string;
}

export function createBackfillCommand(io: CliIo): Command {
  const command = new Command("backfill")
    .description(
      "queue the Hub repo's discussions that have no GitHub issue yet; a running bridge mirrors them",
    )
    .argument("<hubRepo>", "the Hub repo as owner/name, e.g. acme/my-model")
    .addOption(
      new Option("--type <type>", "the Hub repo's type").choices(HUB_REPO_TYPES).default("model"),
    )
    .option("--config <file>", "config file (env HF_BRIDGE_CONFIG, default ./hf-bridge.yml)");
  return addStoreOptions(command)
    .addHelpText(
      "after",
      `
Reads the discussions through the Hub API (HF_TOKEN for private repos, HF_ENDPOINT for another Hub).
Running it again queues nothing new.

Examples:
  $ npx hf-bridge backfill acme/my-model
  $ HF_TOKEN=hf_… npx hf-bridge backfill acme/private-data --type dataset`,
    )
    .action(async (hubRepo: string, options: BackfillOptions) => {
      let config: Awaited<ReturnType<typeof loadConfig>>["config"];
      try {
        config = (await loadConfig({ path: options.config, env: io.env, cwd: io.cwd })).config;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        for (const problem of error.problems) io.err(problem);
        throw new CliError(
          'the config is invalid — fix the problems above ("npx hf-bridge validate-config")',
        );
      }
      const hub = createHubClient({
        ...(io.env.HF_ENDPOINT ? { baseUrl: io.env.HF_ENDPOINT } : {}),
        ...(io.env.HF_TOKEN ? { token: io.env.HF_TOKEN } : {}),
      });
      const store = await openExistingStore(options, io);
      try {
        const report = await backfillDiscussions({
          store,
          hub,
          config,
          repo: { type: options.type, name: hubRepo },
          ...(io.env.HF_ENDPOINT ? { hubUrl: io.env.HF_ENDPOINT } : {}),
        });
        const leftOut =
          report.repliesLeftOut > 0
            ? ` (${report.repliesLeftOut} later replies left out: at most ${MAX_BACKFILL_REPLIES_PER_DISCUSSION} per discussion)`
            : "";
        io.out(
          `${options.type} ${hubRepo}: ${report.listed} discussions, ${report.queued} queued for mirroring with ${report.replies} existing replies${leftOut}, ${report.skipped} already mirrored or queued`,
        );
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(`backfill of ${hubRepo} failed: ${(error as Error).message}`);
      } finally {
        await store.close();
      }
    });
}
