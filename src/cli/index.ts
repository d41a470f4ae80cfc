#!/usr/bin/env node
import { Command } from "commander";
import { CliError } from "./cli-error.ts";
import type { CliIo } from "./cli-io.ts";
import { createBackfillCommand } from "./commands/backfill.ts";
import { createDeadLettersCommand } from "./commands/dead-letters.ts";
import { createDeliveriesCommand } from "./commands/deliveries.ts";
import { createReplayCommand } from "./commands/replay.ts";
import { createSendTestCommand } from "./commands/send-test.ts";
import { createServeCommand } from "./commands/serve.ts";
import { createValidateConfigCommand } from "./commands/validate-config.ts";

const io: CliIo = {
  env: process.env,
  cwd: process.cwd(),
  terminal: process.stdout.isTTY === true,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const program = new Command("hf-bridge")
  .description("Connects the Hugging Face Hub to GitHub. Run without a command to serve.")
  .addCommand(createServeCommand(io), { isDefault: true })
  .addCommand(createValidateConfigCommand(io))
  .addCommand(createSendTestCommand(io))
  .addCommand(createDeliveriesCommand(io))
  .addCommand(createDeadLettersCommand(io))
  .addCommand(createReplayCommand(io))
  .addCommand(createBackfillCommand(io))
  .showHelpAfterError('(run "npx hf-bridge <command> --help" for usage and examples)');

try {
  await program.parseAsync();
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  io.err(`hf-bridge: ${error.message}`);
  process.exitCode = error.exitCode;
}
