import { Command, InvalidArgumentError } from "commander";
import type { Store } from "../../store/store.ts";
import { addStoreOptions, type StoreOptions } from "../add-store-options.ts";
import { CliError } from "../cli-error.ts";
import type { CliIo } from "../cli-io.ts";
import { openExistingStore } from "../open-existing-store.ts";

interface ReplayOptions extends StoreOptions {
  delivery?: number;
  force?: boolean;
}

export function createReplayCommand(io: CliIo): Command {
  const command = new Command("replay")
    .description(
      "re-queue a dead-lettered job with its attempts reset, or (--delivery <id> --force) run a stored delivery again; a running bridge picks it up",
    )
    .argument("[jobId]", "the job id shown by `npx hf-bridge dead-letters`", parseId("job"))
    .option(
      "--delivery <id>",
      "the delivery id shown by `npx hf-bridge deliveries` (instead of a job id)",
      parseId("delivery"),
    )
    .option(
      "--force",
      "run the delivery's job again even though it finished: every effect is planned and applied again, updating what it made on GitHub instead of making it twice",
    );
  return addStoreOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ npx hf-bridge dead-letters
  $ npx hf-bridge replay 42
  $ npx hf-bridge replay --delivery 17 --force`,
    )
    .action(async (jobId: number | undefined, options: ReplayOptions) => {
      if ((jobId === undefined) === (options.delivery === undefined)) {
        throw new CliError(
          'replay needs a job id or --delivery <id>, not both — fix: "npx hf-bridge replay 42" for a dead job, "npx hf-bridge replay --delivery 17 --force" to run a delivery again',
        );
      }
      if (options.force && options.delivery === undefined) {
        throw new CliError(
          '--force applies to --delivery only — fix: "npx hf-bridge replay --delivery <id> --force" (a dead job needs no --force)',
        );
      }
      const store = await openExistingStore(options, io);
      try {
        if (jobId !== undefined) await replayDeadJob(store, jobId, io);
        else await replayDelivery(store, options.delivery as number, options.force === true, io);
      } finally {
        await store.close();
      }
    });
}

async function replayDeadJob(store: Store, jobId: number, io: CliIo): Promise<void> {
  if (!(await store.replayDeadLetter(jobId))) {
    throw new CliError(
      `no dead-lettered job ${jobId} — fix: pick a job id from "npx hf-bridge dead-letters"`,
    );
  }
  io.out(`job ${jobId} re-queued; a running bridge runs it within a second`);
}

async function replayDelivery(
  store: Store,
  deliveryId: number,
  force: boolean,
  io: CliIo,
): Promise<void> {
  const delivery = await store.getDelivery(deliveryId);
  if (!delivery) {
    throw new CliError(
      `no delivery ${deliveryId} — fix: pick an id from "npx hf-bridge deliveries" (old ones are pruned)`,
    );
  }
  if (delivery.jobId === undefined) {
    throw new CliError(
      `delivery ${deliveryId} was ${delivery.disposition}${delivery.reason ? ` (${delivery.reason})` : ""}, so it has no job to run — fix: change what made it ${delivery.disposition} (a route in the config), then have the Hub send a new event`,
    );
  }
  if (delivery.jobState === "dead" && !force) {
    await replayDeadJob(store, delivery.jobId, io);
    return;
  }
  if (!force) {
    throw new CliError(
      `delivery ${deliveryId}'s job ${delivery.jobId} is ${delivery.jobState} — fix: add --force to run it again on purpose (what it made on GitHub is updated, not made twice)`,
    );
  }
  const result = await store.rerunDelivery(deliveryId);
  switch (result.status) {
    case "requeued":
      io.out(
        `delivery ${deliveryId}: job ${result.jobId} re-queued with its effects cleared; a running bridge runs it within a second`,
      );
      return;
    case "live":
      throw new CliError(
        `delivery ${deliveryId}'s job ${result.jobId} is still ${result.jobState} — fix: wait until "npx hf-bridge deliveries" shows it done, then run this again`,
      );
    case "no-job":
      throw new CliError(
        `delivery ${deliveryId} was ${result.disposition}, so it has no job to run`,
      );
    case "missing":
      throw new CliError(`no delivery ${deliveryId} — it was pruned meanwhile`);
  }
}

function parseId(what: "job" | "delivery"): (value: string) => number {
  const listing = what === "job" ? "dead-letters" : "deliveries";
  return (value) => {
    const id = Number(value);
    if (!Number.isSafeInteger(id) || id < 1) {
      throw new InvalidArgumentError(
        `${JSON.stringify(value)} is not a ${what} id; use the number shown by "npx hf-bridge ${listing}"`,
      );
    }
    return id;
  };
}
