import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import { callFake } from "./call-fake.ts";

const REPO = "/repos/octo-org/models";

describe("fake GitHub issues, comments and labels", () => {
  let fake: FakeGitHub;
  let token: string;

  beforeEach(async () => {
    fake = await startFakeGitHub({
      repos: [{ owner: "octo-org", name: "models", labels: ["Hub"] }],
    });
    token = fake.createInstallationToken();
  });

  afterEach(async () => {
    await fake.close();
    fake.expectNoViolations();
  });

  it("creates an issue, comments on it and closes it with a reason", async () => {
    const created = await callFake(fake, "POST", `${REPO}/issues`, {
      token,
      body: { title: "Discussion #7", body: "from the Hub", labels: ["hub", "new-label"] },
    });
    expect(created.status).toBe(201);
    const issue = created.body as Record<string, unknown>;
    expect(issue).toMatchObject({
      number: 1,
      title: "Discussion #7",
      state: "open",
      user: { login: "hf-github-bridge[bot]", type: "Bot" },
      labels: [{ name: "Hub" }, { name: "new-label" }],
      html_url: "https://github.com/octo-org/models/issues/1",
    });
    expect(created.headers.get("location")).toBe(`${fake.url}${REPO}/issues/1`);

    const comment = await callFake(fake, "POST", `${REPO}/issues/1/comments`, {
      token,
      body: { body: "first reply" },
    });
    expect(comment.status).toBe(201);
    expect(comment.body).toMatchObject({ body: "first reply", user: { type: "Bot" } });

    const closed = await callFake(fake, "PATCH", `${REPO}/issues/1`, {
      token,
      body: { state: "closed", state_reason: "not_planned" },
    });
    expect(closed.body).toMatchObject({ state: "closed", state_reason: "not_planned" });

    const readBack = await callFake(fake, "GET", `${REPO}/issues/1`, { token });
    expect(readBack.body).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
      comments: 1,
      body: "from the Hub",
    });
    expect((readBack.body as { closed_at: string | null }).closed_at).not.toBeNull();
    expect(fake.state.repos.get("octo-org/models")?.labels.has("new-label")).toBe(true);

    const reopened = await callFake(fake, "PATCH", `${REPO}/issues/1`, {
      token,
      body: { state: "open" },
    });
    expect(reopened.body).toMatchObject({
      state: "open",
      state_reason: "reopened",
      closed_at: null,
    });
  });

  it("updates and deletes a comment and lists comments with paging and since", async () => {
    await callFake(fake, "POST", `${REPO}/issues`, { token, body: { title: "t" } });
    const ids: number[] = [];
    for (const text of ["a", "b", "c"]) {
      const answer = await callFake(fake, "POST", `${REPO}/issues/1/comments`, {
        token,
        body: { body: text },
      });
      ids.push((answer.body as { id: number }).id);
    }

    const updated = await callFake(fake, "PATCH", `${REPO}/issues/comments/${ids[1]}`, {
      token,
      body: { body: "b, edited" },
    });
    expect(updated.body).toMatchObject({ id: ids[1], body: "b, edited" });
    const deleted = await callFake(fake, "DELETE", `${REPO}/issues/comments/${ids[0]}`, { token });
    expect(deleted.status).toBe(204);

    const firstPage = await callFake(fake, "GET", `${REPO}/issues/1/comments?per_page=1`, {
      token,
    });
    expect(firstPage.body).toMatchObject([{ body: "b, edited" }]);
    expect(firstPage.headers.get("link")).toContain('page=2>; rel="next"');
    const secondPage = await callFake(fake, "GET", `${REPO}/issues/1/comments?per_page=1&page=2`, {
      token,
    });
    expect(secondPage.body).toMatchObject([{ body: "c" }]);
    expect(secondPage.headers.get("link")).toContain('rel="prev"');

    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await callFake(fake, "GET", `${REPO}/issues/1/comments?since=${future}`, {
      token,
    });
    expect(none.body).toEqual([]);
  });

  it("rejects an over-long comment body with GitHub's message", async () => {
    await callFake(fake, "POST", `${REPO}/issues`, { token, body: { title: "t" } });
    const answer = await callFake(fake, "POST", `${REPO}/issues/1/comments`, {
      token,
      body: { body: "x".repeat(65_537) },
    });
    expect(answer.status).toBe(422);
    expect(JSON.stringify(answer.body)).toContain("Body is too long (maximum is 65536 characters)");

    const atLimit = await callFake(fake, "POST", `${REPO}/issues/1/comments`, {
      token,
      body: { body: "x".repeat(65_536) },
    });
    expect(atLimit.status).toBe(201);
  });

  it("adds, removes and looks up labels", async () => {
    await callFake(fake, "POST", `${REPO}/issues`, { token, body: { title: "t" } });
    const added = await callFake(fake, "POST", `${REPO}/issues/1/labels`, {
      token,
      body: { labels: ["hub", "endpoint"] },
    });
    expect(added.body).toMatchObject([{ name: "Hub" }, { name: "endpoint" }]);

    const removed = await callFake(fake, "DELETE", `${REPO}/issues/1/labels/endpoint`, { token });
    expect(removed.body).toMatchObject([{ name: "Hub" }]);
    const missing = await callFake(fake, "DELETE", `${REPO}/issues/1/labels/endpoint`, { token });
    expect(missing.status).toBe(404);

    const created = await callFake(fake, "POST", `${REPO}/labels`, {
      token,
      body: { name: "hf-sync", color: "ff9900" },
    });
    expect(created.status).toBe(201);
    const duplicate = await callFake(fake, "POST", `${REPO}/labels`, {
      token,
      body: { name: "HF-SYNC" },
    });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body).toMatchObject({ errors: [{ code: "already_exists" }] });
    const fetched = await callFake(fake, "GET", `${REPO}/labels/hf-sync`, { token });
    expect(fetched.body).toMatchObject({ name: "hf-sync", color: "ff9900" });
  });

  it("lists issues filtered by state, labels and creator with Link headers", async () => {
    for (const title of ["one", "two", "three"]) {
      await callFake(fake, "POST", `${REPO}/issues`, { token, body: { title, labels: ["hub"] } });
    }
    await callFake(fake, "POST", `${REPO}/issues`, { token, body: { title: "unlabelled" } });
    await callFake(fake, "PATCH", `${REPO}/issues/2`, { token, body: { state: "closed" } });

    const open = await callFake(fake, "GET", `${REPO}/issues?labels=hub&per_page=1`, { token });
    expect(open.body).toMatchObject([{ number: 3 }]);
    expect(open.headers.get("link")).toMatch(/page=2>; rel="next".*page=2>; rel="last"/);

    const all = await callFake(fake, "GET", `${REPO}/issues?state=all&labels=hub`, { token });
    expect((all.body as Array<{ number: number }>).map((issue) => issue.number)).toEqual([3, 2, 1]);

    const byOther = await callFake(fake, "GET", `${REPO}/issues?creator=someone-else`, { token });
    expect(byOther.body).toEqual([]);
  });
});
