import type { FakeHub } from "../support/fake-hub/start-fake-hub.ts";
import type { FakeHubDiscussion } from "../support/fake-hub/types.ts";

/** some-user/some-repo #3 on the fake Hub: the draft PR the composed discussion fixtures describe. */
export function seedHubPullRequest(
  hub: FakeHub | undefined,
  author: { id: string; name: string } = { id: "61d2000c3c2083e1c08af22d", name: "some-user" },
): FakeHubDiscussion {
  if (!hub) throw new Error("the fake Hub did not start; pass hub: true to startBridge");
  const repo = hub.addRepo({
    id: "6366c000a2abcdf2fd69a080",
    type: "model",
    name: "some-user/some-repo",
  });
  return hub.addDiscussion(repo, {
    num: 3,
    title: "Hello!",
    status: "draft",
    isPullRequest: true,
    author,
    changes: { base: "refs/heads/main" },
    openingComment: { id: "6398872887bfcfb93a306f18", text: "This adds an env key" },
  });
}
