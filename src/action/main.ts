import { access, constants } from "node:fs/promises";
import * as core from "@actions/core";
import { ConfigError } from "../config/config-error.ts";
import type { BridgeConfig } from "../config/config-schema.ts";
import { loadConfig } from "../config/load-config.ts";
import type { HubRepoType } from "../hf/hub-payload-schema.ts";
import type { WriteLimits } from "../store/write-schedule.ts";
import { createLogger } from "../util/create-logger.ts";
import { describeNetworkFailure } from "../util/describe-network-failure.ts";
import { quote } from "../util/describe-zod-error.ts";
import { ActionInputError } from "./action-input-error.ts";
import { exchangeHubToken } from "./exchange-hub-token.ts";
import { listWatchedSpaces } from "./list-watched-spaces.ts";
import { payloadOutputs } from "./payload-outputs.ts";
import { type ActionInputs, readActionInputs } from "./read-action-inputs.ts";
import { readDispatchPayload } from "./read-dispatch-payload.ts";
import { readEventFile } from "./read-event-file.ts";
import { reportOutcome } from "./report-outcome.ts";
import { watchEndpoints } from "./watch-endpoints.ts";

/** What tests may change about a run; the action itself always runs with none. */
export interface RunOptions {
  writeLimits?: Partial<WriteLimits>;
}

/**
 * The action's entry: reads the inputs, runs the mode, sets the outputs. Any failure ends here, as
 * one failed step with the reason.
 */
export async function run(options: RunOptions = {}): Promise<void> {
  try {
    const inputs = readActionInputs((name) => core.getInput(name), process.env);
    if (inputs.mode !== "payload" && inputs.hfToken) core.setSecret(inputs.hfToken);
    const outputs = await runMode(inputs, options);
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  } catch (error) {
    if (error instanceof ConfigError && error.located.length > 0) {
      annotateConfigProblems(error);
      return;
    }
    // A GitHub request that got no answer escapes as Octokit's bare socket error otherwise.
    const network = describeNetworkFailure(error, {
      service: "GitHub",
      url: process.env.GITHUB_API_URL || "https://api.github.com",
      setting: "GITHUB_API_URL",
    });
    core.setFailed(network ?? (error instanceof Error ? error.message : String(error)));
  }
}

async function runMode(inputs: ActionInputs, options: RunOptions): Promise<Record<string, string>> {
  switch (inputs.mode) {
    case "payload": {
      const payload = readDispatchPayload(inputs.eventName, await readEventFile(inputs.eventPath));
      return payloadOutputs(payload);
    }
    case "report": {
      const payload = readDispatchPayload(inputs.eventName, await readEventFile(inputs.eventPath));
      const onHub = (inputs.discussion ?? payload.discussion) !== undefined;
      const resource =
        onHub && payload.repo && payload.repoType
          ? hubResource(payload.repoType, payload.repo)
          : undefined;
      const hfToken = await hubToken(inputs, resource);
      const result = await reportOutcome({ ...inputs, hfToken, payload });
      core.info(`Reported ${inputs.status} to the ${result.target}: ${result.url}`);
      return { target: result.target, url: result.url, "comment-id": result.commentId };
    }
    case "watch":
      return watch(inputs, options);
  }
}

async function watch(
  inputs: Extract<ActionInputs, { mode: "watch" }>,
  options: RunOptions,
): Promise<Record<string, string>> {
  await requireConfigFile(inputs.configPath);
  const { config, file } = await loadConfig({ path: inputs.configPath, env: {} });
  const watched = config.endpoints[0];
  const hfToken = await hubToken(inputs, watchResource(config));
  if (watched && hfToken === "") {
    throw new ActionInputError(
      `input hf-token is empty, but the config ${JSON.stringify(file)} watches Inference Endpoints (endpoints[0]: namespace ${JSON.stringify(watched.namespace)}), which the Endpoints API lists only for a Hub token; set it in the step's "with:", e.g. hf-token: \${{ secrets.HF_TOKEN }}, or give the job "permissions: id-token: write" and add this workflow as a trusted publisher on the Hub`,
    );
  }
  if (config.endpoints.length === 0 && listWatchedSpaces(config.routes).length === 0) {
    throw new ActionInputError(
      `the config ${JSON.stringify(file)} (input config) has no endpoints[] entries and no Space routes, so there is nothing to watch; add an endpoint watch such as { namespace: acme, github: acme/app } or a route such as { hub: acme/demo, types: [space], github: acme/app }`,
    );
  }
  const result = await watchEndpoints({
    ...inputs,
    hfToken,
    config,
    log: createLogger({ level: core.isDebug() ? "debug" : "warn" }),
    ...(options.writeLimits ? { writeLimits: options.writeLimits } : {}),
  });
  core.info(`${result.cards} endpoint cards found; ${result.jobs.length} state changes`);
  for (const job of result.jobs) {
    const effects = job.effects.map((effect) => `${effect.type} ${effect.status}`).join(", ");
    core.info(
      `${job.event}: ${effects || "nothing to write"}${job.error ? ` — ${job.error}` : ""}`,
    );
  }
  for (const change of result.spaces.changes) core.info(change);
  const failures = [
    ...result.pollErrors,
    ...result.spaces.errors,
    ...result.jobs.flatMap((job) => (job.error ? [`${job.event}: ${job.error}`] : [])),
  ];
  if (failures.length > 0) {
    throw new Error(
      `watch finished with ${failures.length} failure(s); the next run retries them:\n${failures.join("\n")}`,
    );
  }
  return {
    cards: String(result.cards),
    changes: String(result.jobs.length),
    "space-changes": String(result.spaces.changes.length),
  };
}

/**
 * The hf-token input, or else a short-lived token from the Hub's trusted publishers when the job may
 * mint an OIDC ID token (ACTIONS_ID_TOKEN_REQUEST_URL is set only with `id-token: write`). Empty when
 * neither applies; the mode then says which Hub call needed a token.
 */
async function hubToken(
  inputs: { hfToken: string; hubUrl: string },
  resource: string | undefined,
): Promise<string> {
  if (inputs.hfToken !== "" || resource === undefined) return inputs.hfToken;
  if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL) return "";
  const token = await exchangeHubToken({
    hubUrl: inputs.hubUrl,
    resource,
    repository: process.env.GITHUB_REPOSITORY ?? "",
    getIdToken: (audience) => core.getIDToken(audience),
  });
  core.setSecret(token);
  core.info(`Using a trusted-publisher Hub token for ${resource} (valid for an hour)`);
  return token;
}

/** The resource names trusted publishers use: a model bare, datasets and Spaces prefixed. */
function hubResource(type: HubRepoType, repo: string): string {
  return type === "model" ? repo : `${type}s/${repo}`;
}

/**
 * One token covers one resource: the endpoints' namespace when all share one (a read-only user
 * token). Spaces are left out: public ones need no token, and an exchange refused for a Space the
 * publisher was never set up for would fail a run that worked without one.
 */
function watchResource(config: BridgeConfig): string | undefined {
  const namespaces = new Set(config.endpoints.map((endpoint) => endpoint.namespace));
  return namespaces.size === 1 ? [...namespaces][0] : undefined;
}

/**
 * One error annotation per problem, on its file, line and column, so each shows on the config file in
 * the run's summary and a pull request's diff; the step fails once, without repeating them.
 */
function annotateConfigProblems(error: ConfigError): void {
  for (const problem of error.located) {
    core.error(`${problem.where}: ${problem.message} — fix: ${problem.fix}`, {
      title: "hf-bridge config",
      file: problem.file,
      startLine: problem.line,
      startColumn: problem.col,
    });
  }
  const files = [...new Set(error.located.map((problem) => problem.file))].join(", ");
  core.info(
    `${files} has ${error.located.length} problem(s), annotated above; "npx hf-bridge validate-config" shows them locally`,
  );
  process.exitCode = core.ExitCode.Failure;
}

/** Checked here so the message names the input, not the server's `--config` flag. */
async function requireConfigFile(path: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ActionInputError(
      code === "ENOENT"
        ? `input config is ${quote(path)}, but no such file exists in the checkout; add actions/checkout before this step or fix the path`
        : `input config is ${quote(path)}, but the file cannot be read (${code}); make it readable by the runner or fix the path`,
    );
  }
}
