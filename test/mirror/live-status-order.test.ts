import { afterEach, beforeEach, expect, it } from "vitest";
import type { FakeHubDiscussion } from "../support/fake-hub/types.ts";
import { readFixture } from "../support/fixtures.ts";
import { type StartedBridge, startBridge } from "../support/start-bridge.ts";
import { asOtherWebhook } from "./as-other-webhook.ts";
import { issueFor } from "./github-state.ts";
import { seedHubPullRequest } from "./seed-hub-pull-request.ts";

const ISSUE_KEY = "hub-discussion:6366c000a2abcdf2fd69a080:3";

let bridge: StartedBridge;
let discussion: FakeHubDiscussion;

beforeEach(async () => {
  bridge = await startBridge({
    hub: true,
    config: { routes: [{ hub: "some-user/*", github: "acme/widgets", discussions: true }] },
  });
  discussion = seedHubPullRequest(bridge.hub);
  await bridge.post("composed-discussion-create-draft-pr.json");
  await bridge.drain();
  // The opening's job read the discussion once for its authors' names; only later reads count below.
  bridge.hub?.requests.splice(0);
});

afterEach(async () => {
  await bridge.close();
  bridge.github.expectNoViolations();
});

it("does not apply a close the Hub has already undone (a late delivery), and applies it once the Hub agrees", async () => {
  // Closed and reopened on the Hub; the close is delivered only now, after the reopen.
  discussion.status = "open";
  await bridge.post("composed-discussion-update-closed-pr.json");
  await bridge.drain();
  expect(issueFor(bridge.github, ISSUE_KEY).state).toBe("open");
  const asked = bridge.hub?.requests.filter(
    (request) =>
      request.method === "GET" && request.path === "/api/models/some-user/some-repo/discussions/3",
  );
  expect(asked).toHaveLength(1);

  discussion.status = "closed";
  // The same close from a second Hub webhook: a new delivery, so the mirror decides again.
  await bridge.post(asOtherWebhook(readFixture("composed-discussion-update-closed-pr.json")));
  await bridge.drain();
  expect(issueFor(bridge.github, ISSUE_KEY).state).toBe("closed");
});
