import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MODES } from "../../src/action/read-action-inputs.ts";
import { REPO_ROOT } from "../support/paths.ts";

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, unknown>;
  runs: { using: string; main: string };
};
const examples = readdirSync(join(REPO_ROOT, "examples"))
  .filter((name) => /^action-.*\.yml$/.test(name))
  .map((name) => ({
    name,
    workflow: parse(readFileSync(join(REPO_ROOT, "examples", name), "utf8")) as {
      permissions?: Record<string, string>;
      jobs: Record<string, { steps: Step[] }>;
    },
  }));

function actionSteps(workflow: (typeof examples)[number]["workflow"]): Step[] {
  return Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .filter((step) => step.uses?.includes("/hf-github-bridge@"));
}

describe("action.yml and the example workflows", () => {
  it("runs dist/index.js on node24", () => {
    expect(action.runs).toStrictEqual({ using: "node24", main: "dist/index.js" });
  });

  it("have a ready workflow for every mode, with explicit permissions", () => {
    const modes = examples.flatMap(({ workflow }) =>
      actionSteps(workflow).map((step) => step.with?.mode),
    );
    expect(new Set(modes)).toStrictEqual(new Set(MODES));
    for (const { name, workflow } of examples) {
      expect(workflow.permissions, name).toBeDefined();
    }
  });

  it("pass only inputs that action.yml declares", () => {
    for (const { name, workflow } of examples) {
      for (const step of actionSteps(workflow)) {
        for (const input of Object.keys(step.with ?? {})) {
          expect(Object.keys(action.inputs), `${name}: ${input}`).toContain(input);
        }
      }
    }
  });
});
