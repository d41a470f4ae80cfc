import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MODES } from "../../src/action/read-action-inputs.ts";
import { REPO_ROOT } from "../support/paths.ts";

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};
const examples = readdirSync(join(REPO_ROOT, "examples"))
  .filter((name) => /^action-.*\.yml$/.test(name))
  .map((name) => {
    const text = readFileSync(join(REPO_ROOT, "examples", name), "utf8");
    return {
      name,
      text,
      workflow: parse(text) as {
        permissions?: Record<string, string>;
        jobs: Record<string, { steps: Step[] }>;
      },
    };
  });

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

  it("read only outputs that action.yml declares, from a step that uses the action", () => {
    for (const { name, text, workflow } of examples) {
      const actionIds = new Set(
        actionSteps(workflow).flatMap((step) => (step.id ? [step.id] : [])),
      );
      const references = [...text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)];
      for (const [reference, id = "", output = ""] of references) {
        expect(actionIds, `${name}: ${reference}`).toContain(id);
        expect(Object.keys(action.outputs), `${name}: ${reference}`).toContain(output);
      }
    }
  });

  it("report only when the payload names a Hub discussion or an endpoint", () => {
    // A push to main names neither, and report fails the job when it has nowhere to post.
    const reports = examples.flatMap(({ workflow }) =>
      actionSteps(workflow).filter((step) => step.with?.mode === "report"),
    );
    expect(reports.length).toBeGreaterThan(0);
    for (const step of reports) {
      expect(step.if).toMatch(/outputs\.discussion != ''/);
      expect(step.if).toMatch(/outputs\.endpoint != ''/);
    }
  });
});
