import type { Nodes } from "mdast";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseMarkdown } from "../../src/text/parse-markdown.ts";
import { type StartedBridge, startBridge } from "../support/start-bridge.ts";
import { commentsOn, issueFor } from "./github-state.ts";

const SOME_REPO_PR = "hub-discussion:6366c000a2abcdf2fd69a080:3";

let bridge: StartedBridge;

beforeEach(async () => {
  bridge = await startBridge();
});

afterEach(async () => {
  await bridge.close();
  bridge.github.expectNoViolations();
});

/** The text a node shows, with its inline code and its children's text. */
function textOf(node: Nodes): string {
  if ("value" in node && node.type !== "html") return node.value;
  return "children" in node ? node.children.map((child) => textOf(child)).join("") : "";
}

/** Every node of the tree, depth first, as GitHub's Markdown (CommonMark + GFM) reads the body. */
function nodesOf(markdown: string): Nodes[] {
  const all: Nodes[] = [];
  const visit = (node: Nodes) => {
    all.push(node);
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(parseMarkdown(markdown));
  return all;
}

function links(nodes: Nodes[]): Array<{ url: string; text: string }> {
  return nodes.flatMap((node) =>
    node.type === "link" ? [{ url: node.url, text: textOf(node) }] : [],
  );
}

/** What a reader sees: the text of every node but raw HTML (the bridge's marker is an HTML comment). */
function visibleText(nodes: Nodes[]): string {
  return nodes
    .filter((node) => node.type === "text" || node.type === "inlineCode")
    .map((node) => ("value" in node ? node.value : ""))
    .join(" ");
}

describe("the default issue and comment bodies, parsed as GitHub renders Markdown", () => {
  it("show the opening post, a rule, a list of facts with a working link back, and no visible marker", async () => {
    await bridge.post("composed-discussion-create-draft-pr.json");
    await bridge.post("composed-discussion.comment-create-on-pr.json");
    await bridge.drain();
    const issue = issueFor(bridge.github, SOME_REPO_PR);
    const nodes = nodesOf(issue.body ?? "");

    expect(nodes.filter((node) => node.type === "heading")).toStrictEqual([]);
    expect(nodes.filter((node) => node.type === "thematicBreak")).toHaveLength(1);
    const [list] = nodes.filter((node) => node.type === "list");
    expect(list?.children.map((item) => textOf(item))).toStrictEqual([
      "Hub pull request: some-user/some-repo #\u200B3",
      "Author: Hub user 61d2000c3c2083e1c08af22d",
      "Pull request: yes, into refs/heads/main",
    ]);
    expect(links(nodes)).toContainEqual({
      url: "https://huggingface.co/some-user/some-repo/discussions/3",
      text: "some-user/some-repo #\u200B3",
    });
    const shown = visibleText(nodes);
    expect(shown).toContain("This adds an env key");
    expect(shown).not.toContain("hf-bridge:");
    expect(nodes.some((node) => node.type === "html" && node.value.includes("hf-bridge:"))).toBe(
      true,
    );

    const [comment] = commentsOn(bridge.github, issue.number);
    const commentNodes = nodesOf(comment?.body ?? "");
    expect(commentNodes.filter((node) => node.type === "heading")).toStrictEqual([]);
    expect(links(commentNodes)).toContainEqual({
      url: "https://huggingface.co/some-user/some-repo/discussions/4#6398872887bfcfb93a306f18",
      text: "commented on the Hub",
    });
    expect(visibleText(commentNodes)).not.toContain("hf-bridge:");
  });
});
