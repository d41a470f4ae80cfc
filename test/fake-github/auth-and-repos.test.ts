import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import { callFake } from "./call-fake.ts";

function fakeJwt(): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "RS256", typ: "JWT" })}.${encode({ iss: 4242, exp: 1 })}.c2lnbmF0dXJl`;
}

describe("fake GitHub authentication and repositories", () => {
  let fake: FakeGitHub;
  let now: Date;

  beforeEach(async () => {
    now = new Date("2026-03-01T12:00:00Z");
    fake = await startFakeGitHub({
      now: () => now,
      repos: [
        {
          owner: "octo-org",
          name: "models",
          private: true,
          installationId: 7,
          collaborators: { alice: "maintain" },
        },
        { owner: "other-org", name: "elsewhere", installationId: 8 },
        { owner: "octo-org", name: "uninstalled", installationId: null },
      ],
      personalTokens: [{ token: "ghp_personal", login: "alice" }],
    });
  });

  afterEach(async () => {
    await fake.close();
    fake.expectNoViolations();
  });

  it("exchanges an App JWT for an installation token that expires after an hour", async () => {
    const jwt = fakeJwt();
    const app = await callFake(fake, "GET", "/app", { token: jwt });
    expect(app.body).toMatchObject({ id: 4242, slug: "hf-github-bridge" });

    const installation = await callFake(fake, "GET", "/repos/octo-org/models/installation", {
      token: jwt,
    });
    expect(installation.body).toMatchObject({ id: 7, app_id: 4242 });

    const issued = await callFake(fake, "POST", "/app/installations/7/access_tokens", {
      token: jwt,
    });
    expect(issued.status).toBe(201);
    const { token, expires_at } = issued.body as { token: string; expires_at: string };
    expect(expires_at).toBe("2026-03-01T13:00:00.000Z");
    expect(fake.state.tokens.get(token)?.installationId).toBe(7);

    const repo = await callFake(fake, "GET", "/repos/octo-org/models", { token });
    expect(repo.body).toMatchObject({
      private: true,
      default_branch: "main",
      full_name: "octo-org/models",
    });

    now = new Date("2026-03-01T13:00:00Z");
    const late = await callFake(fake, "GET", "/repos/octo-org/models", { token });
    expect(late.status).toBe(401);
    expect(late.body).toMatchObject({ message: "Bad credentials" });
  });

  it("rejects a malformed JWT, a missing credential and installations that do not exist", async () => {
    expect((await callFake(fake, "GET", "/app", { token: "not-a-jwt" })).status).toBe(401);
    expect((await callFake(fake, "GET", "/repos/octo-org/models")).body).toMatchObject({
      message: "Requires authentication",
    });
    expect(
      (await callFake(fake, "POST", "/app/installations/99/access_tokens", { token: fakeJwt() }))
        .status,
    ).toBe(404);
    expect(
      (
        await callFake(fake, "GET", "/repos/octo-org/uninstalled/installation", {
          token: fakeJwt(),
        })
      ).status,
    ).toBe(404);
  });

  it("keeps an installation token to its own installation's repositories", async () => {
    const token = fake.createInstallationToken(7);
    expect((await callFake(fake, "GET", "/repos/octo-org/models", { token })).status).toBe(200);
    expect((await callFake(fake, "GET", "/repos/other-org/elsewhere", { token })).status).toBe(404);
  });

  it("answers /user for a personal token and refuses it to an installation token", async () => {
    const user = await callFake(fake, "GET", "/user", { token: "ghp_personal" });
    expect(user.body).toMatchObject({ login: "alice", type: "User" });
    const bot = await callFake(fake, "GET", "/user", { token: fake.createInstallationToken(7) });
    expect(bot.status).toBe(403);
  });

  it("reports collaborator permissions with GitHub's legacy level and exact role", async () => {
    const token = fake.createInstallationToken(7);
    const alice = await callFake(
      fake,
      "GET",
      "/repos/octo-org/models/collaborators/alice/permission",
      { token },
    );
    expect(alice.body).toMatchObject({
      permission: "write",
      role_name: "maintain",
      user: { login: "alice" },
    });
    const stranger = await callFake(
      fake,
      "GET",
      "/repos/octo-org/models/collaborators/bob/permission",
      { token },
    );
    expect(stranger.body).toMatchObject({ permission: "none" });
  });

  it("flags an operation the description has but the fake does not implement", async () => {
    const token = fake.createInstallationToken(7);
    const answer = await callFake(fake, "GET", "/repos/octo-org/models/pulls", { token });
    expect(answer.status).toBe(501);
    expect(fake.violations[0]).toMatchObject({ operationId: "pulls/list" });
    fake.clearViolations();
  });
});
