import { Command, InvalidArgumentError } from "commander";
import type { DeliverySummary } from "../../store/store.ts";
import { addStoreOptions, type StoreOptions } from "../add-store-options.ts";
import type { CliIo } from "../cli-io.ts";
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
    .option("--json", "print JSON (one array) instead of a table");
  return addStoreOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ hf-bridge deliveries
  $ hf-bridge deliveries --limit 100 --json | jq '.[] | select(.disposition == "rejected")'`,
    )
    .action(async (options: DeliveriesOptions) => {
      const store = await openExistingStore(options, io);
      try {
        const deliveries = await store.listDeliveries({ limit: options.limit });
        if (options.json) io.out(JSON.stringify(deliveries, null, 2));
        else if (deliveries.length === 0) io.out("no deliveries yet");
        else for (const delivery of deliveries) io.out(describeDelivery(delivery));
      } finally {
        await store.close();
      }
    });
}

function describeDelivery(delivery: DeliverySummary): string {
  const job =
    delivery.jobId === undefined
      ? ""
      : ` job ${delivery.jobId} ${delivery.jobState ?? "?"} (${delivery.attempts ?? 0} attempts)`;
  const duplicates = delivery.duplicates > 0 ? ` +${delivery.duplicates} duplicates` : "";
  const note = delivery.lastError ?? delivery.outcome?.summary ?? delivery.reason;
  const line = `#${delivery.id} ${delivery.receivedAt.toISOString()} ${delivery.source} ${delivery.eventKind ?? "-"} ${delivery.disposition}${job}${duplicates}${note ? ` — ${note}` : ""}`;
  return [line, ...describeLinkedEffects(delivery)].join("\n");
}

/**
 * One indented line per effect that left something to open on GitHub (a workflow run, a check run,
 * an issue), so the run a dispatch started is found without `--json`.
 */
function describeLinkedEffects(delivery: DeliverySummary): string[] {
  return (delivery.outcome?.effects ?? []).flatMap(({ effect, result }) =>
    result.url === undefined
      ? []
      : [
          `    ${effect.type} ${result.status}${result.detail ? ` (${result.detail})` : ""}: ${result.url}`,
        ],
  );
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
