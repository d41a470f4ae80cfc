import { Command } from "commander";
import { splitSecretList } from "../../hf/split-secret-list.ts";
import { DEFAULT_WEBHOOK_PATH } from "../../server/default-webhook-path.ts";
import { CliError } from "../cli-error.ts";
import type { CliIo } from "../cli-io.ts";
import { makeDeliveryDistinct } from "../make-delivery-distinct.ts";
import { builtInSampleNames, readSample } from "../read-sample.ts";
import { DEFAULT_PORT } from "./serve.ts";

/** The Hub itself gives up after 30 s; a local test should not wait longer for an answer. */
const SEND_TIMEOUT_MS = 30_000;

interface SendTestOptions {
  url?: string;
  exact?: boolean;
}

export function createSendTestCommand(io: CliIo): Command {
  const defaultUrl = `http://127.0.0.1:${io.env.PORT || DEFAULT_PORT}${DEFAULT_WEBHOOK_PATH}`;
  return new Command("send-test")
    .description(
      "post a sample Hub webhook payload to a running bridge, with the secret from HF_WEBHOOK_SECRET",
    )
    .argument(
      "<fixture|scope>",
      `a payload file, or a built-in sample: ${builtInSampleNames().join(", ")}`,
    )
    .option("--url <url>", "the bridge's webhook URL", defaultUrl)
    .option(
      "--exact",
      "send the payload unchanged (by default ids are renewed so it is not a duplicate)",
    )
    .addHelpText(
      "after",
      `
Examples:
  $ npx hf-bridge send-test discussion
  $ npx hf-bridge send-test repo.content --url https://bridge.example.com/webhooks/huggingface
  $ npx hf-bridge send-test ./payload.json --exact`,
    )
    .action(async (fixtureOrScope: string, options: SendTestOptions) => {
      const url = options.url ?? defaultUrl;
      if (!URL.canParse(url)) {
        throw new CliError(
          `--url ${JSON.stringify(url)} is not a URL — fix: use e.g. ${defaultUrl}`,
        );
      }
      const { payload, source } = readSample(fixtureOrScope, io.cwd);
      const body = JSON.stringify(options.exact ? payload : makeDeliveryDistinct(payload));
      const secret = splitSecretList(io.env.HF_WEBHOOK_SECRET)[0];
      io.out(
        `POST ${url} — ${source}${options.exact ? " (exact)" : ""}, ${secret ? "with the first HF_WEBHOOK_SECRET in X-Webhook-Secret" : "unsigned (HF_WEBHOOK_SECRET is not set)"}`,
      );
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(secret ? { "x-webhook-secret": secret } : {}),
          },
          body,
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
      } catch (error) {
        const cause =
          (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        throw new CliError(
          `cannot reach ${url} (${cause}) — fix: start the bridge with "npx hf-bridge serve" (or "npm start"), or pass its address with --url`,
        );
      }
      io.out(`${response.status} ${response.statusText}`);
      io.out(await response.text());
      if (!response.ok) throw new CliError(`the bridge answered ${response.status}`);
    });
}
