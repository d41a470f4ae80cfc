import { describe, expect, it } from "vitest";
import { parseEndpoint } from "../../src/endpoints/parse-endpoint.ts";
import { readFixture } from "../support/fixtures.ts";

const STATES = ["pending", "running", "failed", "updating"];

describe("parseEndpoint", () => {
  it.each(STATES)("reads the huggingface_hub %s mock and drops its secret", (state) => {
    const parsed = parseEndpoint(readFixture(`hfhub-ie-api-get-endpoint-${state}.json`), "acme");
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.snapshot).toMatchObject({
      namespace: "acme",
      name: "my-endpoint-name",
      state,
      repository: "gpt2",
      revision: "11c5a3d5811f50298f278a704980280950aedb10",
      task: "text-generation",
      accelerator: "cpu",
      instance: "intel-icl x2",
    });
    expect(JSON.stringify(parsed)).not.toContain("my-token");
    expect(parsed.body).toMatchObject({ provider: { vendor: "aws" }, healthRoute: "/health" });
  });

  it("keeps the running endpoint's URL and replicas", () => {
    const parsed = parseEndpoint(readFixture("hfhub-ie-api-get-endpoint-running.json"), "acme");
    expect(parsed).toMatchObject({
      ok: true,
      snapshot: {
        url: "https://vksrvs8pc1xnifhq.us-east-1.aws.endpoints.huggingface.cloud",
        readyReplica: 1,
        targetReplica: 1,
        message: "Endpoint is ready",
        updatedAt: "2023-10-26T12:41:53.263Z",
      },
    });
  });

  it("accepts a state it does not know, as a string", () => {
    const json = readFixture("hfhub-ie-api-get-endpoint-running.json");
    const parsed = parseEndpoint(
      { ...json, status: { ...(json.status as object), state: "migrating" } },
      "acme",
    );
    expect(parsed).toMatchObject({ ok: true, snapshot: { state: "migrating" } });
  });

  it("names the field and the value it refuses", () => {
    const json = readFixture("hfhub-ie-api-get-endpoint-running.json");
    expect(parseEndpoint({ ...json, status: { state: 3 } }, "acme")).toStrictEqual({
      ok: false,
      reason:
        "endpoint.status.state: Invalid input: expected string, received number (found 3); send the Endpoint JSON as the Endpoints API returns it",
    });
  });
});
