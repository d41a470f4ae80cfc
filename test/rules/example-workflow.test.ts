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

describe("examples/drop-repeated-dispatch.yml", () => {
  it("runs its work only when no earlier run recorded the bridge's dispatchId", () => {
    const text = readFileSync(join(REPO_ROOT, "examples/drop-repeated-dispatch.yml"), "utf8");
    const workflow = parse(text) as {
      on: { repository_dispatch: { types: string[] } };
      concurrency: { group: string; "cancel-in-progress": boolean };
      jobs: Record<
        string,
        {
          needs?: string;
          if?: string;
          outputs?: Record<string, string>;
          steps: Array<{ id?: string; uses?: string; if?: string; with?: Record<string, unknown> }>;
        }
      >;
    };
    const config = configSchema.parse({
      routes: [{ hub: "some-user/*", github: "acme/app", dispatch: [{}] }],
    });
    const [effect] = planEffects(
      fixtureEvent("composed-repo.content-update-main-and-new-tag.json"),
      config,
    ).effects;
    if (effect?.type !== "repository-dispatch") throw new Error("expected a repository dispatch");
    expect(effect.clientPayload.dispatchId).toMatch(/^[0-9a-f]{32}$/);
    expect(workflow.on.repository_dispatch.types).toStrictEqual([effect.eventType]);

    // A GitHub Actions expression, written as the workflow file has it.
    const id = `\${{ github.event.client_payload.dispatchId }}`;
    expect(workflow.concurrency).toStrictEqual({
      group: `hf-dispatch-${id}`,
      "cancel-in-progress": false,
    });
    const once = workflow.jobs.once;
    const [restore, , save] = once?.steps ?? [];
    expect(restore).toMatchObject({
      id: "seen",
      uses: "actions/cache/restore@v4",
      with: { key: `hf-dispatch-${id}`, "lookup-only": true },
    });
    expect(save).toMatchObject({
      uses: "actions/cache/save@v4",
      if: "steps.seen.outputs.cache-hit != 'true'",
      with: { key: `hf-dispatch-${id}` },
    });
    expect(once?.outputs).toStrictEqual({ repeat: `\${{ steps.seen.outputs.cache-hit }}` });
    expect(workflow.jobs.build).toMatchObject({
      needs: "once",
      if: "needs.once.outputs.repeat != 'true'",
    });
    // Read only payload keys the bridge sends.
    const read = [...text.matchAll(/client_payload\.hf\.(\w+)/g)].map((match) => match[1]);
    const sent = Object.keys(effect.clientPayload.hf as Record<string, unknown>);
    expect(read.every((key) => sent.includes(key as string))).toBe(true);
  });
});
