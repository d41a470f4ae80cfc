import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configJsonSchema } from "../../src/config/config-json-schema.ts";
import { REPO_ROOT } from "../support/paths.ts";

const COMMITTED = join(REPO_ROOT, "schema/hf-bridge.schema.json");

describe("schema/hf-bridge.schema.json", () => {
  it("matches a fresh generation from the zod schema (run `npm run schema` after changing it)", async () => {
    expect(await readFile(COMMITTED, "utf8")).toBe(configJsonSchema());
  });

  it("accepts the example config and refuses what the loader refuses", async () => {
    const validate = new Ajv2020({ strict: false }).compile(
      JSON.parse(await readFile(COMMITTED, "utf8")) as object,
    );
    const example = parse(
      await readFile(join(REPO_ROOT, "examples/hf-bridge.example.yml"), "utf8"),
    ) as unknown;
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ routes: [{ hub: "acme/*", github: "acme" }] })).toBe(false);
    expect(validate({ routes: [{ hub: "acme/*", github: "acme/app", githib: "x" }] })).toBe(false);
  });
});
