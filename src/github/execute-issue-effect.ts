import type { Effect } from "../effects/effect.ts";
import type { ExecutedEffect } from "../jobs/executor.ts";
import { PermanentJobError } from "../jobs/job-errors.ts";
import type { LinkInput } from "../store/store.ts";
import { composeMarkedBody } from "./compose-marked-body.ts";
import { createOnce } from "./create-once.ts";
import type { EffectRun } from "./effect-run.ts";
import { findMarkedIssue } from "./find-marked-issue.ts";
import { hashText } from "./hash-text.ts";
import { requireLink } from "./require-link.ts";

type IssueEffect = Extract<
  Effect,
  {
    type:
      | "create-issue"
      | "update-issue"
      | "close-issue"
      | "reopen-issue"
      | "add-labels"
      | "remove-labels";
  }
>;

/** Creates, edits, closes, reopens and labels mirrored issues; creates happen at most once per link. */
export async function executeIssueEffect(
  run: EffectRun,
  effect: IssueEffect,
): Promise<ExecutedEffect> {
  switch (effect.type) {
    case "create-issue":
      return createIssue(run, effect);
    case "update-issue":
      return updateIssue(run, effect);
    case "close-issue":
    case "reopen-issue":
      return setIssueState(run, effect);
    case "add-labels":
      return addLabels(run, effect);
    case "remove-labels":
      return removeLabels(run, effect);
  }
}

async function createIssue(
  run: EffectRun,
  effect: Extract<Effect, { type: "create-issue" }>,
): Promise<ExecutedEffect> {
  const { client, repoName } = run;
  const { owner, repo } = effect.repo;
  const body = composeMarkedBody(effect, effect.link, run.markerKey);
  const state = { titleHash: hashText(effect.title), bodyHash: hashText(body) };
  const existing = await run.store.getLink(effect.link);
  if (existing?.githubNumber !== undefined) {
    if (
      existing.state?.titleHash === state.titleHash &&
      existing.state?.bodyHash === state.bodyHash
    ) {
      return {
        status: "skipped",
        detail: `issue #${existing.githubNumber} already mirrors ${effect.link}`,
      };
    }
    const issueNumber = existing.githubNumber;
    const { data } = await run.send("write", `update issue ${repoName}#${issueNumber}`, (request) =>
      client.octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
        owner,
        repo,
        issue_number: issueNumber,
        title: effect.title,
        body,
        request,
      }),
    );
    return {
      status: "done",
      detail: `issue #${data.number} existed for ${effect.link}; title and body updated`,
      githubId: Number(data.id),
      url: data.html_url,
      links: [{ ...existing, state: { ...existing.state, ...state } }],
    };
  }

  const { value: issue, how } = await createOnce(run, {
    key: effect.link,
    kind: "issue",
    what: `issue with the marker of ${effect.link}`,
    lookup: () => findMarkedIssue(run, effect.repo, effect.link),
    foundBy: "its marker",
    writeKind: "content",
    description: `create issue in ${repoName}`,
    post: async (request) =>
      (
        await client.octokit.request("POST /repos/{owner}/{repo}/issues", {
          owner,
          repo,
          title: effect.title,
          body,
          ...(effect.labels?.length ? { labels: effect.labels } : {}),
          request,
        })
      ).data,
  });
  return {
    status: "done",
    detail: `issue #${issue.number} ${how}`,
    githubId: Number(issue.id),
    url: issue.html_url,
    // Recording the link resolves the create's intent.
    links: [issueLink(effect.link, repoName, issue, state)],
  };
}

async function updateIssue(
  run: EffectRun,
  effect: Extract<Effect, { type: "update-issue" }>,
): Promise<ExecutedEffect> {
  const link = await requireLink(run.store, effect.issue, "issue");
  const issueNumber = issueNumberOf(link);
  const body =
    effect.body === undefined
      ? undefined
      : composeMarkedBody(
          { body: effect.body, sourceUrl: effect.sourceUrl },
          link.key,
          run.markerKey,
        );
  const state = {
    ...link.state,
    ...(effect.title === undefined ? {} : { titleHash: hashText(effect.title) }),
    ...(body === undefined ? {} : { bodyHash: hashText(body) }),
  };
  if (state.titleHash === link.state?.titleHash && state.bodyHash === link.state?.bodyHash) {
    return { status: "skipped", detail: `issue #${issueNumber} already has this title and body` };
  }
  const { data } = await run.send(
    "write",
    `update issue ${run.repoName}#${issueNumber}`,
    (request) =>
      run.client.octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
        owner: effect.repo.owner,
        repo: effect.repo.repo,
        issue_number: issueNumber,
        ...(effect.title === undefined ? {} : { title: effect.title }),
        ...(body === undefined ? {} : { body }),
        request,
      }),
  );
  return {
    status: "done",
    detail: `issue #${issueNumber} updated`,
    githubId: Number(data.id),
    url: data.html_url,
    links: [{ ...link, state }],
  };
}

async function setIssueState(
  run: EffectRun,
  effect: Extract<Effect, { type: "close-issue" | "reopen-issue" }>,
): Promise<ExecutedEffect> {
  const link = await requireLink(run.store, effect.issue, "issue");
  const issueNumber = issueNumberOf(link);
  const closing = effect.type === "close-issue";
  if (!closing) {
    // A retitle also plans a reopen (the payload cannot say which changed); an open issue is left alone.
    const { data: current } = await run.send(
      "read",
      `read state of ${run.repoName}#${issueNumber}`,
      (request) =>
        run.client.octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
          owner: effect.repo.owner,
          repo: effect.repo.repo,
          issue_number: issueNumber,
          request,
        }),
    );
    if (current.state === "open") {
      return { status: "skipped", detail: `issue #${issueNumber} is already open` };
    }
  }
  const { data } = await run.send(
    "write",
    `${closing ? "close" : "reopen"} issue ${run.repoName}#${issueNumber}`,
    (request) =>
      run.client.octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
        owner: effect.repo.owner,
        repo: effect.repo.repo,
        issue_number: issueNumber,
        ...(closing ? { state: "closed", state_reason: effect.reason } : { state: "open" }),
        request,
      }),
  );
  return {
    status: "done",
    detail: `issue #${issueNumber} ${closing ? `closed as ${effect.reason}` : "reopened"}`,
    githubId: Number(data.id),
    url: data.html_url,
  };
}

async function addLabels(
  run: EffectRun,
  effect: Extract<Effect, { type: "add-labels" }>,
): Promise<ExecutedEffect> {
  const link = await requireLink(run.store, effect.issue, "issue");
  const issueNumber = issueNumberOf(link);
  // GitHub creates labels it does not know yet, and adding a label twice is harmless.
  await run.send("write", `add labels to ${run.repoName}#${issueNumber}`, (request) =>
    run.client.octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
      owner: effect.repo.owner,
      repo: effect.repo.repo,
      issue_number: issueNumber,
      labels: effect.labels,
      request,
    }),
  );
  return { status: "done", detail: `labels [${effect.labels.join(", ")}] on #${issueNumber}` };
}

async function removeLabels(
  run: EffectRun,
  effect: Extract<Effect, { type: "remove-labels" }>,
): Promise<ExecutedEffect> {
  const link = await requireLink(run.store, effect.issue, "issue");
  const issueNumber = issueNumberOf(link);
  const { data: current } = await run.send(
    "read",
    `read labels of ${run.repoName}#${issueNumber}`,
    (request) =>
      run.client.octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/labels", {
        owner: effect.repo.owner,
        repo: effect.repo.repo,
        issue_number: issueNumber,
        per_page: 100,
        request,
      }),
  );
  const present = new Set(current.map((label) => label.name.toLowerCase()));
  const toRemove = effect.labels.filter((name) => present.has(name.toLowerCase()));
  for (const name of toRemove) {
    await run.send(
      "write",
      `remove label ${JSON.stringify(name)} from ${run.repoName}#${issueNumber}`,
      (request) =>
        run.client.octokit
          .request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", {
            owner: effect.repo.owner,
            repo: effect.repo.repo,
            issue_number: issueNumber,
            name,
            request,
          })
          .catch((error: { status?: number }) => {
            // Removed by someone else in the meantime: the goal is met.
            if (error.status !== 404) throw error;
          }),
    );
  }
  if (toRemove.length === 0) {
    return {
      status: "skipped",
      detail: `#${issueNumber} has none of [${effect.labels.join(", ")}]`,
    };
  }
  return { status: "done", detail: `labels [${toRemove.join(", ")}] removed from #${issueNumber}` };
}

function issueNumberOf(link: { key: string; githubNumber?: number }): number {
  if (link.githubNumber === undefined) {
    throw new PermanentJobError(
      `link ${link.key} has no issue number, so it does not point at an issue; check the planner that linked it`,
    );
  }
  return link.githubNumber;
}

function issueLink(
  key: string,
  repoName: string,
  issue: { id: number | bigint; number: number },
  state: Record<string, unknown>,
): LinkInput {
  return {
    key,
    kind: "issue",
    repo: repoName,
    githubId: Number(issue.id),
    githubNumber: issue.number,
    state,
  };
}
