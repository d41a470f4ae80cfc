import { describe, expect, it } from "vitest";
import { readBridgeEnvironment } from "../../src/app/read-bridge-environment.ts";

describe("readBridgeEnvironment", () => {
  it("shows landing-page details to this machine only unless told public", () => {
    expect(readBridgeEnvironment({}).pageDetails).toBe("local");
    expect(readBridgeEnvironment({ HF_BRIDGE_PAGE_DETAILS: "" }).pageDetails).toBe("local");
    expect(readBridgeEnvironment({ HF_BRIDGE_PAGE_DETAILS: "local" }).pageDetails).toBe("local");
    expect(readBridgeEnvironment({ HF_BRIDGE_PAGE_DETAILS: "public" }).pageDetails).toBe("public");
  });

  it("refuses another HF_BRIDGE_PAGE_DETAILS, quoting it and naming both choices", () => {
    expect(() => readBridgeEnvironment({ HF_BRIDGE_PAGE_DETAILS: "yes" })).toThrow(
      'HF_BRIDGE_PAGE_DETAILS="yes" is not "local" or "public"; unset it to show routes and deliveries only to this machine, or set it to "public"',
    );
  });

  it("reads the metrics token, and no token as metrics off", () => {
    expect(readBridgeEnvironment({}).metricsToken).toBeUndefined();
    expect(
      readBridgeEnvironment({ HF_BRIDGE_METRICS_TOKEN: "0123456789abcdef0123" }).metricsToken,
    ).toBe("0123456789abcdef0123");
  });
});
