import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configSchema } from "../../src/config/config-schema.ts";
import { planEffects } from "../../src/rules/plan-effects.ts";
import { fixtureEvent } from "../support/fixtures.ts";
import { REPO_ROOT } from "../support/paths.ts";

const EXAMPLE = join(REPO_ROOT, "examples/retrain-on-dataset-update.yml");

describe("examples/retrain-on-dataset-update.yml", () => {
  it("listens for the default dataset event and reads only payload keys the bridge sends", () => {
    const text = readFileSync(EXAMPLE, "utf8");
    const workflow = parse(text) as { on: { repository_dispatch: { types: string[] } } };
    const config = configSchema.parse({
      routes: [{ hub: "some-user/*", github: "acme/app", dispatch: [{}] }],
    });
    const [effect] = planEffects(
      fixtureEvent("composed-repo.content-update-private-dataset.json"),
      config,
    ).effects;
    if (effect?.type !== "repository-dispatch") throw new Error("expected a repository dispatch");

    expect(workflow.on.repository_dispatch.types).toStrictEqual([effect.eventType]);
    const read = [...text.matchAll(/client_payload\.hf\.(\w+)/g)].map((match) => match[1]);
    expect(new Set(read)).toStrictEqual(
      new Set(Object.keys(effect.clientPayload.hf as Record<string, unknown>)),
    );
  });
});
