import { Command } from "commander";
import { addStoreOptions, type StoreOptions } from "../add-store-options.ts";
import type { CliIo } from "../cli-io.ts";
import { openExistingStore } from "../open-existing-store.ts";
import { parseLimit } from "./deliveries.ts";

const DEFAULT_LIMIT = 100;

interface DeadLettersOptions extends StoreOptions {
  limit: number;
  json?: boolean;
}

export function createDeadLettersCommand(io: CliIo): Command {
  const command = new Command("dead-letters")
    .description("list jobs that failed for good, with their last error; replay them with `replay`")
    .option("--limit <n>", "how many to show", parseLimit, DEFAULT_LIMIT)
    .option("--json", "print JSON (one array, payloads included) instead of a list");
  return addStoreOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ npx hf-bridge dead-letters
  $ npx hf-bridge dead-letters --json > dead.json`,
    )
    .action(async (options: DeadLettersOptions) => {
      const store = await openExistingStore(options, io);
      try {
        const deadLetters = await store.listDeadLetters({ limit: options.limit });
        if (options.json) {
          io.out(JSON.stringify(deadLetters, null, 2));
          return;
        }
        if (deadLetters.length === 0) io.out("no dead letters");
        for (const dead of deadLetters) {
          io.out(
            `job ${dead.jobId} (delivery #${dead.deliveryId}) ${dead.event.kind} failed ${dead.failedAt.toISOString()} after ${dead.attempts} attempts — ${dead.lastError}`,
          );
        }
        if (deadLetters.length > 0) io.out("replay one with: npx hf-bridge replay <jobId>");
      } finally {
        await store.close();
      }
    });
}
