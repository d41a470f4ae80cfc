import { buildLogExcerpt } from "../checks/build-log-excerpt.ts";
import type { GitHubRepoRef } from "../effects/effect.ts";
import type { RepoClient } from "../github/create-octokit-factory.ts";
import { sendGitHubRequest } from "../github/send-github-request.ts";
import type { WriteThrottle } from "../github/write-throttle.ts";
import { spaceBuildLogTail } from "../hub/space-build-log-tail.ts";
import { spaceFetchRuntime } from "../hub/space-fetch-runtime.ts";
import { classifySpaceStage } from "../rules/classify-space-stage.ts";
import { githubMarkdown } from "../text/github-markdown.ts";
import { readLinkMarker, renderLinkMarker } from "../text/link-marker.ts";
import type { WatchedSpace } from "./list-watched-spaces.ts";
import { postTransitionCommentOnce } from "./post-transition-comment-once.ts";
import { readSpaceCardState, type SpaceCardState } from "./read-space-card-state.ts";
import { renderSpaceCardBody } from "./render-space-card-body.ts";

/** GitHub's largest page of issues. */
const PAGE_SIZE = 100;
/** Cards are few; ten pages of this account's issues, newest first, find any of them. */
const MAX_ISSUE_PAGES = 10;
/** A card is an issue body (65,536 characters at most) with a stage and a message besides the log. */
const CARD_LOG_MAX_CHARS = 20_000;

export interface SpaceWatchResult {
  /** `owner/name STAGE → STAGE` per Space whose card this run updated. */
  changes: string[];
  errors: string[];
}

/**
 * Reads each watched Space's runtime once and, when its stage (or error message) differs from the one
 * its card `[Space] <owner>/<name>` last reported, updates the card and comments on a failure stage.
 * The state is written last, so a run killed halfway repeats the transition; its comment is found by
 * its marker and not posted twice.
 */
export async function watchSpaces(input: {
  spaces: readonly WatchedSpace[];
  clientFor: (repo: GitHubRepoRef) => Promise<RepoClient>;
  throttle: WriteThrottle;
  markerKey: string;
  fetch: typeof fetch;
  hubUrl: string;
  hfToken: string;
}): Promise<SpaceWatchResult> {
  const result: SpaceWatchResult = { changes: [], errors: [] };
  for (const watched of input.spaces) {
    try {
      const change = await watchSpace(input, watched);
      if (change !== undefined) result.changes.push(change);
    } catch (error) {
      result.errors.push(
        `${watched.space}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return result;
}

async function watchSpace(
  input: Parameters<typeof watchSpaces>[0],
  { space, github }: WatchedSpace,
): Promise<string | undefined> {
  const reading = await spaceFetchRuntime({
    fetch: input.fetch,
    hubUrl: input.hubUrl,
    space,
    accessToken: input.hfToken,
    now: new Date(),
    addressSetting: "the hub-url input",
    tokenSetting: "the hf-token input",
  });
  const client = await input.clientFor(github);
  const repoName = `${github.owner}/${github.repo}`;
  const send = <T>(
    kind: "read" | "write" | "content",
    description: string,
    request: () => Promise<T>,
  ) =>
    sendGitHubRequest({
      client,
      throttle: input.throttle,
      kind,
      description,
      now: Date.now,
      send: request,
    });

  const card = await findSpaceCard(client, github, space, input.markerKey, send);
  const previous = card === undefined ? undefined : readSpaceCardState(card.body);
  if (previous?.stage === reading.stage && previous.errorMessage === reading.errorMessage) {
    return undefined;
  }
  const state: SpaceCardState = {
    stage: reading.stage,
    ...(reading.errorMessage === undefined ? {} : { errorMessage: reading.errorMessage }),
    transitions: (previous?.transitions ?? 0) + 1,
  };
  const buildLog =
    classifySpaceStage(reading.stage) === "failure" ? await readBuildLog(input, space) : undefined;
  const body = (withState: boolean) =>
    renderSpaceCardBody({
      space,
      hubUrl: input.hubUrl,
      markerKey: input.markerKey,
      state,
      withState,
      ...(buildLog ? { buildLog } : {}),
    });

  let issueNumber = card?.number;
  if (issueNumber === undefined) {
    const { data } = await send("content", `create the card of ${space} in ${repoName}`, () =>
      client.octokit.request("POST /repos/{owner}/{repo}/issues", {
        ...github,
        title: spaceCardTitle(space),
        body: body(false),
      }),
    );
    issueNumber = data.number;
  }
  if (classifySpaceStage(reading.stage) === "failure") {
    const link = `space-card:${space}:transition:${state.transitions}`;
    const number = issueNumber;
    await postTransitionCommentOnce({
      repo: github,
      link,
      issueNumber: number,
      client,
      throttle: input.throttle,
      markerKey: input.markerKey,
      post: async () => {
        const { data } = await send("content", `comment on ${repoName}#${number}`, () =>
          client.octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
            ...github,
            issue_number: number,
            body: [
              githubMarkdown`🔴 Space \`${{ hubText: space }}\` is ${{ hubText: reading.stage }}${{ bridge: previous ? githubMarkdown` (was ${{ hubText: previous.stage }})` : "" }}.`,
              ...(reading.errorMessage
                ? ["", githubMarkdown`${{ hubMarkdown: reading.errorMessage }}`]
                : []),
              "",
              renderLinkMarker(link, input.markerKey),
            ].join("\n"),
          }),
        );
        return { status: "done", githubId: Number(data.id), url: data.html_url };
      },
    });
  }
  const numberToUpdate = issueNumber;
  await send("write", `update the card of ${space} in ${repoName}`, () =>
    client.octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      ...github,
      issue_number: numberToUpdate,
      body: body(true),
    }),
  );
  return `${space} ${previous?.stage ?? "(new)"} → ${reading.stage}`;
}

/** The failed build's log tail for the card; the card says what it can without it. */
async function readBuildLog(
  input: Parameters<typeof watchSpaces>[0],
  space: string,
): Promise<{ excerpt: string; lines: number; url: string } | undefined> {
  try {
    const lines = await spaceBuildLogTail({
      fetch: input.fetch,
      hubUrl: input.hubUrl,
      space,
      accessToken: input.hfToken,
    });
    if (lines.length === 0) return undefined;
    const excerpt = buildLogExcerpt(lines, CARD_LOG_MAX_CHARS);
    return {
      excerpt: excerpt.text,
      lines: excerpt.lines,
      url: `${input.hubUrl.replace(/\/+$/, "")}/spaces/${space}?logs=build`,
    };
  } catch {
    return undefined;
  }
}

function spaceCardTitle(space: string): string {
  return `[Space] ${space}`;
}

/** The card this account wrote for the Space: anyone can open an issue with the same title. */
async function findSpaceCard(
  client: RepoClient,
  github: GitHubRepoRef,
  space: string,
  markerKey: string,
  send: <T>(kind: "read", description: string, request: () => Promise<T>) => Promise<T>,
): Promise<{ number: number; body: string } | undefined> {
  for (let page = 1; page <= MAX_ISSUE_PAGES; page++) {
    const { data } = await send("read", `list the cards in ${github.owner}/${github.repo}`, () =>
      client.octokit.request("GET /repos/{owner}/{repo}/issues", {
        ...github,
        creator: client.botLogin,
        state: "all",
        per_page: PAGE_SIZE,
        page,
      }),
    );
    const card = data.find(
      (issue) =>
        !issue.pull_request &&
        issue.user?.login === client.botLogin &&
        issue.title === spaceCardTitle(space) &&
        readLinkMarker(issue.body ?? "", markerKey) === `space-card:${space}`,
    );
    if (card) return { number: card.number, body: card.body ?? "" };
    if (data.length < PAGE_SIZE) return undefined;
  }
  return undefined;
}
