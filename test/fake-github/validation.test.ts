import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import { callFake } from "./call-fake.ts";

describe("fake GitHub request validation", () => {
  let fake: FakeGitHub;
  let token: string;

  beforeEach(async () => {
    fake = await startFakeGitHub({ repos: [{ owner: "octo-org", name: "models" }] });
    token = fake.createInstallationToken();
  });

  afterEach(async () => {
    await fake.close();
    fake.expectNoViolations();
  });

  it("accepts a request the description allows and logs its operation", async () => {
    const answer = await callFake(fake, "POST", "/repos/octo-org/models/issues", {
      token,
      body: { title: "Mirror of discussion #3", body: "hello", labels: ["hub"] },
    });

    expect(answer.status).toBe(201);
    expect(fake.violations).toEqual([]);
    expect(fake.requests.map((request) => request.operationId)).toEqual(["issues/create"]);
    expect(fake.requests[0]?.headers.authorization).toBe("token ***");
    expect(answer.headers.get("x-ratelimit-remaining")).toBe("4999");
  });

  it("records a body of the wrong type as a violation and answers 422", async () => {
    const answer = await callFake(fake, "POST", "/repos/octo-org/models/issues", {
      token,
      body: { title: "t", body: 42 },
    });

    expect(answer.status).toBe(422);
    expect(fake.violations).toHaveLength(1);
    expect(fake.violations[0]).toMatchObject({
      method: "POST",
      path: "/repos/octo-org/models/issues",
      operationId: "issues/create",
      body: { title: "t", body: 42 },
    });
    expect(fake.violations[0]?.errors.map((error) => error.instancePath)).toContain("/body");
    expect(fake.state.repos.get("octo-org/models")?.issues.size).toBe(0);
    expect(() => fake.expectNoViolations()).toThrow(/issues\/create.*\n.*body/);
    fake.clearViolations();
  });

  it("records an unknown key where the schema forbids additional properties", async () => {
    const answer = await callFake(fake, "POST", "/repos/octo-org/models/issues", {
      token,
      body: { title: "t", issue_field_values: [{ field_id: 1, value: "x", colour: "red" }] },
    });

    expect(answer.status).toBe(422);
    expect(fake.violations[0]?.errors).toContainEqual(
      expect.objectContaining({
        keyword: "additionalProperties",
        params: { additionalProperty: "colour" },
      }),
    );
    fake.clearViolations();
  });

  it("records an unknown route and answers 404", async () => {
    const answer = await callFake(fake, "POST", "/repos/octo-org/models/issue", {
      token,
      body: { title: "t" },
    });

    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ message: "Not Found" });
    expect(fake.violations).toHaveLength(1);
    expect(fake.violations[0]?.reason).toMatch(/no operation/);
    fake.clearViolations();
  });

  it("records a path parameter of the wrong type and answers 404 like GitHub", async () => {
    const answer = await callFake(fake, "GET", "/repos/octo-org/models/issues/abc/comments", {
      token,
    });

    expect(answer.status).toBe(404);
    expect(fake.violations[0]).toMatchObject({ operationId: "issues/list-comments" });
    expect(fake.violations[0]?.reason).toMatch(/^path/);
    fake.clearViolations();
  });

  it("records a body that is not JSON and answers 400", async () => {
    const answer = await callFake(fake, "POST", "/repos/octo-org/models/issues", {
      token,
      rawBody: "{title:",
    });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ message: "Problems parsing JSON" });
    expect(fake.violations).toHaveLength(1);
    fake.clearViolations();
  });

  it("prefers literal path segments when templates overlap", async () => {
    const answer = await callFake(fake, "GET", "/repos/octo-org/models/issues/comments/123", {
      token,
    });

    expect(answer.status).toBe(404);
    expect(fake.requests[0]?.operationId).toBe("issues/get-comment");
  });
});
