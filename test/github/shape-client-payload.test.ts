import { describe, expect, it } from "vitest";
import {
  checkDispatchEventType,
  PayloadTooLargeError,
  shapeClientPayload,
} from "../../src/github/shape-client-payload.ts";
import { PermanentJobError } from "../../src/jobs/job-errors.ts";

function payloadWithKeys(count: number): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`key${index}`, index]));
}

describe("shapeClientPayload", () => {
  it("leaves a payload with up to 10 top-level keys unchanged", () => {
    const payload = payloadWithKeys(10);
    expect(shapeClientPayload(payload)).toBe(payload);
  });

  it("wraps a payload with 11 keys under one `hf` key", () => {
    const payload = payloadWithKeys(11);
    expect(shapeClientPayload(payload)).toEqual({ hf: payload });
  });

  it("refuses a 70 KB payload as a permanent error naming the size and the limit", () => {
    const payload = { readme: "x".repeat(70_000) };
    let thrown: unknown;
    try {
      shapeClientPayload(payload);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PayloadTooLargeError);
    expect(thrown).toBeInstanceOf(PermanentJobError);
    expect((thrown as Error).message).toMatch(
      /client_payload serializes to 70013 bytes; GitHub refuses 65536 bytes \(64 KB\) or more\. Send identifiers/,
    );
  });

  it("measures UTF-8 bytes, so 30,000 emoji (120 KB) are refused though only 60,000 characters", () => {
    expect(() => shapeClientPayload({ text: "🤗".repeat(30_000) })).toThrow(PayloadTooLargeError);
  });

  it("accepts a payload just under the limit and refuses one at 64 KB", () => {
    const overhead = JSON.stringify({ a: "" }).length;
    expect(() => shapeClientPayload({ a: "x".repeat(65_535 - overhead) })).not.toThrow();
    expect(() => shapeClientPayload({ a: "x".repeat(65_536 - overhead) })).toThrow(
      PayloadTooLargeError,
    );
  });

  it("refuses a payload that is not plain JSON with a clear error", () => {
    expect(() => shapeClientPayload({ size: 1n })).toThrow(/cannot be serialized to JSON/);
  });
});

describe("checkDispatchEventType", () => {
  it("accepts a name of up to 100 characters", () => {
    expect(() => checkDispatchEventType("hf.model.updated")).not.toThrow();
    expect(() => checkDispatchEventType("e".repeat(100))).not.toThrow();
  });

  it("refuses a longer or blank name, quoting it and saying how to fix it", () => {
    expect(() => checkDispatchEventType("e".repeat(101))).toThrow(
      /event_type "e{101}" must be 1 to 100 characters .* \(it has 101\); set a short name/,
    );
    expect(() => checkDispatchEventType("  ")).toThrow(PermanentJobError);
    expect(() => checkDispatchEventType("")).toThrow(/event_type "" must be 1 to 100/);
  });
});
