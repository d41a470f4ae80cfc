import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import { callFake } from "./call-fake.ts";

const REPO = "/repos/octo-org/models";

describe("fake GitHub fault injection", () => {
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

  const createIssue = () =>
    callFake(fake, "POST", `${REPO}/issues`, { token, body: { title: "t" } });
  const issueCount = () => fake.state.repos.get("octo-org/models")?.issues.size;

  it("answers an injected status for the given number of matching requests only", async () => {
    fake.inject({
      match: { method: "POST", path: `${REPO}/issues` },
      times: 2,
      kind: "status",
      status: 503,
      body: { message: "Service Unavailable" },
    });

    expect((await createIssue()).status).toBe(503);
    expect((await createIssue()).status).toBe(503);
    expect(issueCount()).toBe(0);
    expect((await createIssue()).status).toBe(201);
    expect(issueCount()).toBe(1);
  });

  it("performs the write and then answers 502 for commitThenStatus", async () => {
    fake.inject({ match: { operationId: "issues/create" }, kind: "commitThenStatus" });

    const lost = await createIssue();
    expect(lost.status).toBe(502);
    expect(issueCount()).toBe(1);
    expect(fake.state.repos.get("octo-org/models")?.issues.get(1)?.title).toBe("t");
  });

  it("answers a secondary rate limit with the headers the test passes", async () => {
    fake.inject({
      match: { path: /\/issues$/ },
      kind: "rateLimit",
      status: 403,
      headers: {
        "retry-after": "30",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": "1700000000",
      },
    });

    const limited = await createIssue();
    expect(limited.status).toBe(403);
    expect(limited.body).toMatchObject({ message: "You have exceeded a secondary rate limit" });
    expect(limited.headers.get("retry-after")).toBe("30");
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(limited.headers.get("x-ratelimit-reset")).toBe("1700000000");
    expect(issueCount()).toBe(0);
  });

  it("answers 429 for a rate limit fault that asks for it", async () => {
    fake.inject({ match: { method: "POST" }, kind: "rateLimit", status: 429 });
    expect((await createIssue()).status).toBe(429);
  });

  it("holds a delayed answer back while undelayed requests are answered", async () => {
    fake.inject({ match: { operationId: "issues/create" }, kind: "delay", ms: 1000 });
    const finished: string[] = [];
    const delayed = createIssue().then((answer) => finished.push(`create ${answer.status}`));
    const undelayed = callFake(fake, "GET", `${REPO}`, { token }).then((answer) =>
      finished.push(`get ${answer.status}`),
    );

    await Promise.all([delayed, undelayed]);
    expect(finished).toEqual(["get 200", "create 201"]);
    expect(issueCount()).toBe(1);
  });

  it("drops the connection without answering", async () => {
    fake.inject({ match: { operationId: "issues/create" }, kind: "drop" });
    await expect(createIssue()).rejects.toThrow();
    expect(fake.requests[0]?.status).toBeUndefined();
    expect((await createIssue()).status).toBe(201);
  });

  it("expires the presented token so the request gets 401 Bad credentials", async () => {
    fake.inject({ match: { operationId: "issues/create" }, kind: "expireToken" });

    const expired = await createIssue();
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ message: "Bad credentials" });
    expect((await callFake(fake, "GET", `${REPO}/issues/1`, { token })).status).toBe(401);

    const fresh = fake.createInstallationToken();
    expect(
      (await callFake(fake, "POST", `${REPO}/issues`, { token: fresh, body: { title: "t" } }))
        .status,
    ).toBe(201);
  });

  it("still records a violation for an invalid request that meets a fault", async () => {
    fake.inject({ match: { operationId: "issues/create" }, kind: "status", status: 500 });
    const answer = await callFake(fake, "POST", `${REPO}/issues`, {
      token,
      body: { body: "no title" },
    });
    expect(answer.status).toBe(422);
    expect(fake.violations).toHaveLength(1);
    fake.clearViolations();
  });

  it("holds a request until the test lets it go, then performs it although its client is gone", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived = () => {};
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    fake.inject({
      match: { operationId: "issues/create" },
      kind: "hold",
      until: () => {
        arrived();
        return held;
      },
      afterwards: "commit",
    });
    const aborted = new AbortController();
    const sent = fetch(`${fake.url}${REPO}/issues`, {
      method: "POST",
      headers: { authorization: `token ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "t" }),
      signal: aborted.signal,
    });
    await arrival;
    expect(issueCount()).toBe(0);
    aborted.abort();
    await expect(sent).rejects.toThrow();
    release();
    await expect.poll(issueCount).toBe(1);
  });

  it("holds a request, then drops it without performing it", async () => {
    fake.inject({
      match: { operationId: "issues/create" },
      kind: "hold",
      until: async () => {},
      afterwards: "drop",
    });
    await expect(createIssue()).rejects.toThrow();
    expect(issueCount()).toBe(0);
  });

  it("lets a script decide per matching request, counting only the requests it matched", async () => {
    const seen: Array<[number, string]> = [];
    fake.inject({
      match: { method: "POST" },
      kind: "script",
      decide: ({ index, path }) => {
        seen.push([index, path]);
        return index === 1 ? { kind: "commitThenStatus", status: 502 } : undefined;
      },
    });
    expect((await callFake(fake, "GET", REPO, { token })).status).toBe(200);
    expect((await createIssue()).status).toBe(201);
    expect((await createIssue()).status).toBe(502);
    expect((await createIssue()).status).toBe(201);
    expect(issueCount()).toBe(3);
    expect(seen).toEqual([
      [0, `${REPO}/issues`],
      [1, `${REPO}/issues`],
      [2, `${REPO}/issues`],
    ]);
  });
});
