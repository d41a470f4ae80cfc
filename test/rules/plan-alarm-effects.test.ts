import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.ts";
import type { BridgeEvent, BridgeProblem } from "../../src/events/bridge-event.ts";
import { ALARM_ISSUE_TITLE, planAlarmEffects } from "../../src/rules/plan-alarm-effects.ts";

type AlarmEvent = Extract<BridgeEvent, { kind: "bridge.alarm" }>;

const ALERTS = configSchema.parse({ alerts: { github: "acme/ops" } });
const OPS = { owner: "acme", repo: "ops" };
const CHECKED_AT = "2026-12-02T10:00:00Z";

const deadLetters: BridgeProblem = {
  id: "dead-letters",
  title: "3 jobs are dead-lettered",
  detail: "GitHub said: 404 Not Found for @octocat's repo #12",
  fix: "Fix the route, then replay them from the console.",
};

function alarm(seq: number, problems: BridgeProblem[]): AlarmEvent {
  return { kind: "bridge.alarm", seq, checkedAt: CHECKED_AT, problems };
}

function hash16(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

describe("planAlarmEffects", () => {
  it("creates, updates and reopens the one alarm issue with what is wrong and how to fix it", () => {
    const plan = planAlarmEffects(alarm(4, [deadLetters]), ALERTS);
    const [create] = plan.effects;
    const body = create?.type === "create-issue" ? create.body : "";
    const sections = body.split("\n\n");
    expect(sections[0]).toBe(`## What is wrong (checked ${CHECKED_AT})`);
    expect(sections[1]).toBe("### 3 jobs are dead-lettered");
    // The detail quotes GitHub: neither the mention nor the reference may be live.
    expect(sections[2]).toBe("GitHub said: 404 Not Found for @\u200Boctocat's repo #\u200B12");
    expect(sections[3]).toBe("**How to fix:** Fix the route, then replay them from the console.");
    expect(sections.at(-1)).toBe(
      "<sub>Kept up to date by hf-github-bridge (`alerts` in its config); it edits this text and closes the issue when all is well.</sub>",
    );
    expect(plan).toStrictEqual({
      effects: [
        {
          type: "create-issue",
          idempotencyKey: "create-issue:bridge-alarm",
          repo: OPS,
          link: "bridge-alarm",
          title: ALARM_ISSUE_TITLE,
          body,
          labels: [],
        },
        {
          type: "update-issue",
          idempotencyKey: `update-issue:bridge-alarm:${hash16(body)}`,
          repo: OPS,
          issue: "bridge-alarm",
          body,
        },
        {
          type: "reopen-issue",
          idempotencyKey: "reopen-issue:bridge-alarm:4",
          repo: OPS,
          issue: "bridge-alarm",
        },
      ],
    });
  });

  it("lists every problem in its own section", () => {
    const second = { ...deadLetters, id: "credentials", title: "The GitHub App key is refused" };
    const [create] = planAlarmEffects(alarm(5, [deadLetters, second]), ALERTS).effects;
    const headings = create?.type === "create-issue" ? create.body.match(/^### .*$/gm) : null;
    expect(headings).toStrictEqual([
      "### 3 jobs are dead-lettered",
      "### The GitHub App key is refused",
    ]);
  });

  it("says all is well and closes the issue, keyed by the change, when nothing is wrong", () => {
    const body = `## All well\n\nNothing needs attention since ${CHECKED_AT}. This issue reopens, with what is wrong, if that changes.`;
    expect(planAlarmEffects(alarm(6, []), ALERTS)).toStrictEqual({
      effects: [
        {
          type: "update-issue",
          idempotencyKey: `update-issue:bridge-alarm:${hash16(body)}`,
          repo: OPS,
          issue: "bridge-alarm",
          body,
        },
        {
          type: "close-issue",
          idempotencyKey: "close-issue:bridge-alarm:6",
          repo: OPS,
          issue: "bridge-alarm",
          reason: "completed",
        },
      ],
    });
  });

  it("keys the body edit by its text, so the same problems edit once and a change edits again", () => {
    const key = (event: AlarmEvent) => planAlarmEffects(event, ALERTS).effects[1]?.idempotencyKey;
    expect(key(alarm(7, [deadLetters]))).toBe(key(alarm(8, [deadLetters])));
    expect(key(alarm(7, [deadLetters]))).not.toBe(
      key(alarm(7, [{ ...deadLetters, title: "4 jobs are dead-lettered" }])),
    );
  });

  it("plans nothing without alerts.github", () => {
    expect(planAlarmEffects(alarm(1, [deadLetters]), configSchema.parse({}))).toStrictEqual({
      effects: [],
      reason: "no alerts.github in the config",
    });
  });
});
