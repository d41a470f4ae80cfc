import { tmpdir } from "node:os";
import type { WorkflowStatus } from "../pull-requests/render-outcome-comment.ts";
import { quote } from "../util/describe-zod-error.ts";
import { ActionInputError } from "./action-input-error.ts";

export const MODES = ["watch", "report", "payload"] as const;
const STATUSES: readonly WorkflowStatus[] = ["success", "failure", "cancelled", "skipped"];
const DEFAULT_GITHUB_API_URL = "https://api.github.com";
const DEFAULT_GITHUB_SERVER_URL = "https://github.com";

interface RunContext {
  githubApiUrl: string;
  /** GITHUB_EVENT_NAME and the JSON file at GITHUB_EVENT_PATH. */
  eventName: string;
  eventPath: string;
}

export type ActionInputs =
  | (RunContext & {
      mode: "watch";
      githubToken: string;
      configPath: string;
      hfToken: string;
      endpointsApiUrl: string;
      hubUrl: string;
      markerKey: string;
      tempDir: string;
    })
  | (RunContext & {
      mode: "report";
      githubToken: string;
      hfToken: string;
      hubUrl: string;
      status: WorkflowStatus;
      summary: string;
      discussion?: number;
      startedAt?: Date;
      runUrl: string;
      repository: string;
      workflow: string;
      runKey: string;
    })
  | (RunContext & { mode: "payload" });

/**
 * Every input the chosen mode needs, checked before any request is made. `getInput` returns an
 * input's trimmed value ("" when unset), as `@actions/core` does; `env` holds the runner's variables.
 */
export function readActionInputs(
  getInput: (name: string) => string,
  env: Record<string, string | undefined>,
): ActionInputs {
  const mode = getInput("mode");
  if (!isMode(mode)) {
    throw new ActionInputError(
      `input mode is ${quote(mode)}; set it to one of ${MODES.map((name) => `"${name}"`).join(", ")}`,
    );
  }
  const context: RunContext = {
    githubApiUrl: url("GITHUB_API_URL", env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL, "variable"),
    eventName: env.GITHUB_EVENT_NAME ?? "",
    eventPath: env.GITHUB_EVENT_PATH ?? "",
  };
  if (mode === "payload") return { mode, ...context };
  const githubToken = required(getInput, "github-token", `\${{ github.token }}`);
  if (mode === "watch") {
    return {
      mode,
      ...context,
      githubToken,
      configPath: required(getInput, "config", "hf-bridge.yml"),
      // Needed for Inference Endpoints and private Spaces only; checked once the config is read.
      hfToken: getInput("hf-token"),
      endpointsApiUrl: url(
        "endpoints-api-url",
        required(getInput, "endpoints-api-url", "https://api.endpoints.huggingface.cloud"),
      ),
      hubUrl: url("hub-url", required(getInput, "hub-url", "https://huggingface.co")),
      markerKey: required(getInput, "marker-key", `\${{ github.repository }}`),
      tempDir: env.RUNNER_TEMP || tmpdir(),
    };
  }
  const status = getInput("status");
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw new ActionInputError(
      `input status is ${quote(status)}; pass status: \${{ job.status }} (one of ${STATUSES.join(", ")})`,
    );
  }
  const repository = env.GITHUB_REPOSITORY ?? "";
  const runId = env.GITHUB_RUN_ID ?? "";
  const serverUrl = env.GITHUB_SERVER_URL || DEFAULT_GITHUB_SERVER_URL;
  const discussion = discussionInput(getInput("discussion"));
  const startedAt = startedAtInput(getInput("started-at"));
  return {
    mode,
    ...context,
    githubToken,
    hfToken: getInput("hf-token"),
    hubUrl: url("hub-url", required(getInput, "hub-url", "https://huggingface.co")),
    status: status as WorkflowStatus,
    summary: getInput("summary"),
    ...(discussion === undefined ? {} : { discussion }),
    ...(startedAt === undefined ? {} : { startedAt }),
    runUrl: url(
      "run-url",
      getInput("run-url") || `${serverUrl}/${repository}/actions/runs/${runId}`,
    ),
    repository,
    workflow: env.GITHUB_WORKFLOW || "workflow",
    runKey: `${runId}/${env.GITHUB_RUN_ATTEMPT || "1"}`,
  };
}

function isMode(value: string): value is (typeof MODES)[number] {
  return (MODES as readonly string[]).includes(value);
}

function required(getInput: (name: string) => string, name: string, example: string): string {
  const value = getInput(name);
  if (value === "") {
    throw new ActionInputError(
      `input ${name} is empty; set it in the step's "with:", e.g. ${name}: ${example}`,
    );
  }
  return value;
}

function url(name: string, value: string, kind: "input" | "variable" = "input"): string {
  const parsed = URL.parse(value);
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw new ActionInputError(
      `${kind} ${name} is ${quote(value)}, not an http(s) URL; use e.g. "https://…" without quotes or spaces`,
    );
  }
  return value.replace(/\/+$/, "");
}

function startedAtInput(value: string): Date | undefined {
  if (value === "") return undefined;
  const at = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(at.getTime())) {
    throw new ActionInputError(
      `input started-at is ${quote(value)}, not a time; pass Unix seconds or an ISO 8601 time from an earlier step, e.g. run: echo "at=$(date +%s)" >> "$GITHUB_OUTPUT"`,
    );
  }
  return at;
}

function discussionInput(value: string): number | undefined {
  if (value === "") return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    throw new ActionInputError(
      `input discussion is ${quote(value)}; pass the Hub discussion or PR number, e.g. discussion: 12`,
    );
  }
  return number;
}
