import { Command, InvalidArgumentError } from "commander";
import { addStoreOptions, type StoreOptions } from "../add-store-options.ts";
import { CliError } from "../cli-error.ts";
import type { CliIo } from "../cli-io.ts";
import { openExistingStore } from "../open-existing-store.ts";

export function createReplayCommand(io: CliIo): Command {
  const command = new Command("replay")
    .description(
      "re-queue a dead-lettered job with its attempts reset; a running bridge picks it up",
    )
    .argument("<jobId>", "the job id shown by `npx hf-bridge dead-letters`", parseJobId);
  return addStoreOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ npx hf-bridge dead-letters
  $ npx hf-bridge replay 42`,
    )
    .action(async (jobId: number, options: StoreOptions) => {
      const store = await openExistingStore(options, io);
      try {
        if (!(await store.replayDeadLetter(jobId))) {
          throw new CliError(
            `no dead-lettered job ${jobId} — fix: pick a job id from "npx hf-bridge dead-letters"`,
          );
        }
        io.out(`job ${jobId} re-queued; a running bridge runs it within a second`);
      } finally {
        await store.close();
      }
    });
}

function parseJobId(value: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new InvalidArgumentError(
      `${JSON.stringify(value)} is not a job id; use the number shown by "npx hf-bridge dead-letters"`,
    );
  }
  return id;
}
