import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import { callFake } from "./call-fake.ts";

const REPO = "/repos/octo-org/models";
const SHA = "a".repeat(40);
const UNKNOWN_SHA = "b".repeat(40);

function annotations(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    path: "README.md",
    start_line: index + 1,
    end_line: index + 1,
    annotation_level: "warning",
    message: `note ${index}`,
  }));
}

describe("fake GitHub check runs, commits and dispatches", () => {
  let fake: FakeGitHub;
  let token: string;

  beforeEach(async () => {
    fake = await startFakeGitHub({
      repos: [{ owner: "octo-org", name: "models", commits: [SHA], workflows: ["hf-sync.yml"] }],
    });
    token = fake.createInstallationToken();
  });

  afterEach(async () => {
    await fake.close();
    fake.expectNoViolations();
  });

  it("creates a check run, appends annotations on update and lists it for the ref", async () => {
    const created = await callFake(fake, "POST", `${REPO}/check-runs`, {
      token,
      body: {
        name: "hub-sync",
        head_sha: SHA,
        external_id: "job-1",
        status: "in_progress",
        output: { title: "Syncing", summary: "started", annotations: annotations(50) },
      },
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: number }).id;

    const updated = await callFake(fake, "PATCH", `${REPO}/check-runs/${id}`, {
      token,
      body: {
        conclusion: "success",
        output: { title: "Done", summary: "finished", annotations: annotations(3) },
      },
    });
    expect(updated.body).toMatchObject({
      status: "completed",
      conclusion: "success",
      external_id: "job-1",
      output: { title: "Done", summary: "finished", annotations_count: 53 },
    });
    expect(fake.state.checkRuns.get(id)?.output.annotations).toHaveLength(53);

    const listed = await callFake(
      fake,
      "GET",
      `${REPO}/commits/${SHA}/check-runs?check_name=hub-sync`,
      {
        token,
      },
    );
    expect(listed.body).toMatchObject({ total_count: 1, check_runs: [{ id, name: "hub-sync" }] });
    const viaBranch = await callFake(fake, "GET", `${REPO}/commits/main/check-runs`, { token });
    expect(viaBranch.body).toMatchObject({ total_count: 1 });
  });

  it("answers GitHub's 422s for unknown SHAs, oversized output and too many annotations", async () => {
    const unknown = await callFake(fake, "POST", `${REPO}/check-runs`, {
      token,
      body: { name: "hub-sync", head_sha: UNKNOWN_SHA },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ message: `No commit found for SHA: ${UNKNOWN_SHA}` });

    // 21,846 three-byte characters fit the 65,535-character schema limit but not the byte limit.
    const wide = await callFake(fake, "POST", `${REPO}/check-runs`, {
      token,
      body: { name: "n", head_sha: SHA, output: { title: "t", summary: "€".repeat(21_846) } },
    });
    expect(wide.status).toBe(422);
    expect(wide.body).toMatchObject({
      errors: [{ field: "summary", message: "summary exceeds a maximum bytesize of 65535" }],
    });

    const crowded = await callFake(fake, "POST", `${REPO}/check-runs`, {
      token,
      body: {
        name: "n",
        head_sha: SHA,
        output: { title: "t", summary: "s", annotations: annotations(51) },
      },
    });
    expect(crowded.status).toBe(422);
    expect(crowded.body).toMatchObject({
      message: "Invalid request.\n\nNo more than 50 items are allowed; 51 were supplied.",
    });
    expect(fake.state.checkRuns.size).toBe(0);
  });

  it("gets a known commit by SHA or branch and rejects unknown refs", async () => {
    expect((await callFake(fake, "GET", `${REPO}/commits/${SHA}`, { token })).body).toMatchObject({
      sha: SHA,
    });
    expect((await callFake(fake, "GET", `${REPO}/commits/main`, { token })).body).toMatchObject({
      sha: SHA,
    });
    expect((await callFake(fake, "GET", `${REPO}/commits/${UNKNOWN_SHA}`, { token })).status).toBe(
      422,
    );
    expect((await callFake(fake, "GET", `${REPO}/commits/no-such-branch`, { token })).status).toBe(
      404,
    );
  });

  it("records a repository dispatch and answers 204", async () => {
    const answer = await callFake(fake, "POST", `${REPO}/dispatches`, {
      token,
      body: { event_type: "hf-model-updated", client_payload: { hf: { repo: "org/model" } } },
    });
    expect(answer.status).toBe(204);
    expect(fake.state.repos.get("octo-org/models")?.dispatches).toMatchObject([
      { event_type: "hf-model-updated", client_payload: { hf: { repo: "org/model" } } },
    ]);
  });

  it("enforces GitHub's dispatch limits with GitHub's messages", async () => {
    const longType = await callFake(fake, "POST", `${REPO}/dispatches`, {
      token,
      body: { event_type: "e".repeat(101) },
    });
    expect(longType.status).toBe(422);
    expect(longType.body).toMatchObject({
      message: "Invalid request.\n\nOnly 100 characters are allowed; 101 were supplied.",
    });

    const manyKeys = Object.fromEntries(
      Array.from({ length: 14 }, (_, index) => [`k${index}`, index]),
    );
    const wide = await callFake(fake, "POST", `${REPO}/dispatches`, {
      token,
      body: { event_type: "e", client_payload: manyKeys },
    });
    expect(wide.status).toBe(422);
    expect(wide.body).toMatchObject({
      message: "Invalid request.\n\nNo more than 10 properties are allowed; 14 were supplied.",
    });

    const big = await callFake(fake, "POST", `${REPO}/dispatches`, {
      token,
      body: { event_type: "e", client_payload: { hf: "x".repeat(64 * 1024) } },
    });
    expect(big.status).toBe(422);
    expect(big.body).toMatchObject({ message: "client_payload is too large." });
    expect(fake.state.repos.get("octo-org/models")?.dispatches).toEqual([]);
  });

  it("dispatches a workflow with and without run details, and 404s for unknown workflows", async () => {
    const plain = await callFake(fake, "POST", `${REPO}/actions/workflows/hf-sync.yml/dispatches`, {
      token,
      body: { ref: "main", inputs: { model: "org/model" } },
    });
    expect(plain.status).toBe(204);

    const detailed = await callFake(
      fake,
      "POST",
      `${REPO}/actions/workflows/hf-sync.yml/dispatches`,
      {
        token,
        body: { ref: "main", return_run_details: true },
      },
    );
    expect(detailed.status).toBe(200);
    const details = detailed.body as { workflow_run_id: number; run_url: string; html_url: string };
    expect(details.run_url).toBe(`${fake.url}${REPO}/actions/runs/${details.workflow_run_id}`);
    expect(details.html_url).toBe(
      `https://github.com/octo-org/models/actions/runs/${details.workflow_run_id}`,
    );

    const missing = await callFake(fake, "POST", `${REPO}/actions/workflows/nope.yml/dispatches`, {
      token,
      body: { ref: "main" },
    });
    expect(missing.status).toBe(404);
    const badRef = await callFake(
      fake,
      "POST",
      `${REPO}/actions/workflows/hf-sync.yml/dispatches`,
      {
        token,
        body: { ref: "no-such-branch" },
      },
    );
    expect(badRef.status).toBe(422);
    expect(fake.state.repos.get("octo-org/models")?.workflowDispatches).toHaveLength(2);
  });
});
