import { Command, InvalidArgumentError } from "commander";
import { addStoreOptions, type StoreOptions } from "../add-store-options.ts";
import type { CliIo } from "../cli-io.ts";
import { describeDelivery } from "../describe-delivery.ts";
import { openExistingStore } from "../open-existing-store.ts";

const DEFAULT_LIMIT = 20;

interface DeliveriesOptions extends StoreOptions {
  limit: number;
  json?: boolean;
}

export function createDeliveriesCommand(io: CliIo): Command {
  const command = new Command("deliveries")
    .description("list the latest deliveries the bridge stored, newest first, with their jobs")
    .option("--limit <n>", "how many to show", parseLimit, DEFAULT_LIMIT)
    .option("--json", "print JSON (one array, effects and errors included) instead of lines");
  return addStoreOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ npx hf-bridge deliveries
  $ npx hf-bridge deliveries --limit 100 --json | jq '.[] | select(.disposition == "rejected")'`,
    )
    .action(async (options: DeliveriesOptions) => {
      const store = await openExistingStore(options, io);
      try {
        const deliveries = await store.listDeliveries({ limit: options.limit });
        if (options.json) io.out(JSON.stringify(deliveries, null, 2));
        else if (deliveries.length === 0) io.out("no deliveries yet");
        else
          for (const delivery of deliveries)
            for (const line of describeDelivery(delivery)) io.out(line);
      } finally {
        await store.close();
      }
    });
}

export function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidArgumentError(
      `${JSON.stringify(value)} is not a count; use a whole number of 1 or more`,
    );
  }
  return limit;
}
