import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MODES, readActionInputs } from "../../src/action/read-action-inputs.ts";
import { REPO_ROOT } from "../support/paths.ts";

interface ActionManifest {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
}

const manifest = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as ActionManifest;

/** Values that pass every check, so each mode reads all of its inputs. */
const VALID: Record<string, string> = {
  "github-token": "ghs_x",
  config: "hf-bridge.yml",
  "hf-token": "hf_x",
  "endpoints-api-url": "https://api.endpoints.huggingface.cloud",
  "hub-url": "https://huggingface.co",
  "marker-key": "acme/app",
  status: "success",
  summary: "",
  discussion: "3",
  "run-url": "https://github.com/acme/app/actions/runs/1",
};

/** The inputs the code asks for in `mode`, in the order it asks. */
function inputsReadIn(mode: string): string[] {
  const read: string[] = [];
  readActionInputs(
    (name) => {
      read.push(name);
      return name === "mode" ? mode : (VALID[name] ?? "");
    },
    { GITHUB_REPOSITORY: "acme/app", GITHUB_RUN_ID: "1" },
  );
  return read;
}

describe("action.yml's inputs", () => {
  const readByMode = Object.fromEntries(MODES.map((mode) => [mode, inputsReadIn(mode)]));

  it("are exactly the inputs the code reads", () => {
    const read = new Set(Object.values(readByMode).flat());
    expect(Object.keys(manifest.inputs).sort()).toEqual([...read].sort());
  });

  it("name, in their description, the modes that read them", () => {
    for (const [name, input] of Object.entries(manifest.inputs)) {
      const modes = MODES.filter((mode) => readByMode[mode]?.includes(name));
      const prefix = /^((?:watch|report|payload)(?: and (?:watch|report|payload))*):/.exec(
        input.description,
      );
      if (name === "mode") expect(modes).toEqual([...MODES]);
      else if (name === "github-token") expect(modes).toEqual(["watch", "report"]);
      else expect({ name, modes: prefix?.[1]?.split(" and ") }).toEqual({ name, modes });
    }
  });

  it("require only mode; hf-token is optional, since public Spaces need none", () => {
    const required = Object.entries(manifest.inputs)
      .filter(([, input]) => input.required === true)
      .map(([name]) => name);
    expect(required).toEqual(["mode"]);
    expect(manifest.inputs["hf-token"]?.description).toContain("not needed");
  });
});
