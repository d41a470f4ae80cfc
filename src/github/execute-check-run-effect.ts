import type { CheckRunAnnotation, CheckRunOutput, Effect } from "../effects/effect.ts";
import type { ExecutedEffect } from "../jobs/executor.ts";
import type { LinkInput } from "../store/store.ts";
import {
  CHECK_RUN_ANNOTATION_TITLE_MAX_CHARS,
  CHECK_RUN_ANNOTATIONS_PER_REQUEST,
  CHECK_RUN_TEXT_MAX_BYTES,
} from "../text/github-limits.ts";
import { createOnce } from "./create-once.ts";
import type { EffectRun } from "./effect-run.ts";
import { requireLink } from "./require-link.ts";
import { truncateUtf8Bytes } from "./truncate-body.ts";

const TRUNCATION_NOTICE = "\n\n…truncated to fit GitHub's check run limit.";

type CheckRunEffect = Extract<Effect, { type: "create-check-run" | "update-check-run" }>;

/**
 * Creates and updates check runs. GitHub takes 50 annotations per request, so the rest follow in
 * PATCH requests (which append); how many were sent is kept in the link so a retry resumes there.
 */
export async function executeCheckRunEffect(
  run: EffectRun,
  effect: CheckRunEffect,
): Promise<ExecutedEffect> {
  return effect.type === "create-check-run"
    ? createCheckRun(run, effect)
    : updateCheckRun(run, effect);
}

async function createCheckRun(
  run: EffectRun,
  effect: Extract<Effect, { type: "create-check-run" }>,
): Promise<ExecutedEffect> {
  const annotations = effect.output.annotations ?? [];
  const existing = await run.store.getLink(effect.link);
  if (existing !== undefined) {
    const sent = Number(existing.state?.annotationsSent ?? annotations.length);
    if (sent >= annotations.length) {
      return {
        status: "skipped",
        detail: `check run ${existing.githubId} already exists for ${effect.link}`,
      };
    }
    return appendAnnotations(run, effect, existing, effect.output, sent, true);
  }

  const externalId = effect.externalId ?? effect.link;
  const { value: checkRun } = await createOnce(run, {
    key: effect.link,
    kind: "check-run",
    what: `check run with external_id ${JSON.stringify(externalId)}`,
    lookup: () => findOwnCheckRun(run, effect, externalId),
    foundBy: "its external_id",
    writeKind: "write",
    description: `create check run ${JSON.stringify(effect.name)} in ${run.repoName}`,
    post: async (request) =>
      (
        await run.client.octokit.request("POST /repos/{owner}/{repo}/check-runs", {
          owner: effect.repo.owner,
          repo: effect.repo.repo,
          name: effect.name,
          head_sha: effect.headSha,
          status: effect.status,
          ...(effect.conclusion === undefined ? {} : { conclusion: effect.conclusion }),
          ...(effect.detailsUrl === undefined ? {} : { details_url: effect.detailsUrl }),
          external_id: externalId,
          output: outputWith(
            effect.output,
            annotations.slice(0, CHECK_RUN_ANNOTATIONS_PER_REQUEST),
          ),
          request,
        })
      ).data,
  });
  const link: LinkInput = {
    key: effect.link,
    kind: "check-run",
    repo: run.repoName,
    githubId: Number(checkRun.id),
    state: { annotationsSent: Math.min(annotations.length, CHECK_RUN_ANNOTATIONS_PER_REQUEST) },
  };
  if (annotations.length <= CHECK_RUN_ANNOTATIONS_PER_REQUEST) {
    return {
      status: "done",
      detail: `check run ${checkRun.id} created`,
      githubId: Number(checkRun.id),
      ...(checkRun.html_url ? { url: checkRun.html_url } : {}),
      links: [link],
    };
  }
  // Recorded (resolving the create's intent) before the follow-up requests, so a failure among them
  // resumes instead of re-creating.
  await run.store.putLink(link);
  return appendAnnotations(
    run,
    effect,
    link,
    effect.output,
    CHECK_RUN_ANNOTATIONS_PER_REQUEST,
    true,
  );
}

async function updateCheckRun(
  run: EffectRun,
  effect: Extract<Effect, { type: "update-check-run" }>,
): Promise<ExecutedEffect> {
  const link = await requireLink(run.store, effect.checkRun, "check run");
  const annotations = effect.output?.annotations ?? [];
  const { data } = await run.send(
    "write",
    `update check run ${link.githubId} in ${run.repoName}`,
    (request) =>
      run.client.octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        owner: effect.repo.owner,
        repo: effect.repo.repo,
        check_run_id: link.githubId,
        ...(effect.status === undefined ? {} : { status: effect.status }),
        ...(effect.conclusion === undefined ? {} : { conclusion: effect.conclusion }),
        ...(effect.output === undefined
          ? {}
          : {
              output: outputWith(
                effect.output,
                annotations.slice(0, CHECK_RUN_ANNOTATIONS_PER_REQUEST),
              ),
            }),
        request,
      }),
  );
  if (effect.output === undefined || annotations.length <= CHECK_RUN_ANNOTATIONS_PER_REQUEST) {
    return {
      status: "done",
      detail: `check run ${data.id} updated`,
      githubId: Number(data.id),
      ...(data.html_url ? { url: data.html_url } : {}),
    };
  }
  return appendAnnotations(
    run,
    effect,
    link,
    effect.output,
    CHECK_RUN_ANNOTATIONS_PER_REQUEST,
    false,
  );
}

async function appendAnnotations(
  run: EffectRun,
  effect: CheckRunEffect,
  link: LinkInput,
  output: CheckRunOutput,
  alreadySent: number,
  /** Only a create keeps count in its link: an update's annotations are not the create's. */
  trackProgress: boolean,
): Promise<ExecutedEffect> {
  const annotations = output.annotations ?? [];
  let sent = alreadySent;
  while (sent < annotations.length) {
    const batch = annotations.slice(sent, sent + CHECK_RUN_ANNOTATIONS_PER_REQUEST);
    await run.send(
      "write",
      `add annotations to check run ${link.githubId} in ${run.repoName}`,
      (request) =>
        run.client.octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
          owner: effect.repo.owner,
          repo: effect.repo.repo,
          check_run_id: link.githubId,
          output: outputWith(output, batch),
          request,
        }),
    );
    sent += batch.length;
    if (trackProgress && sent < annotations.length) {
      await run.store.putLink({ ...link, state: { ...link.state, annotationsSent: sent } });
    }
  }
  return {
    status: "done",
    detail: `check run ${link.githubId} has all ${annotations.length} annotations`,
    githubId: link.githubId,
    ...(trackProgress
      ? { links: [{ ...link, state: { ...link.state, annotationsSent: sent } }] }
      : {}),
  };
}

/** The check run this App created for the link, found by `external_id` after a lost create. */
async function findOwnCheckRun(
  run: EffectRun,
  effect: Extract<Effect, { type: "create-check-run" }>,
  externalId: string,
): Promise<{ id: number | bigint; html_url: string | null } | undefined> {
  const { data } = await run.send(
    "read",
    `look for check run ${effect.link} in ${run.repoName}`,
    (request) =>
      run.client.octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
        owner: effect.repo.owner,
        repo: effect.repo.repo,
        ref: effect.headSha,
        check_name: effect.name,
        filter: "all",
        per_page: 100,
        request,
      }),
  );
  const botSlug = run.client.botLogin.replace(/\[bot\]$/, "");
  return data.check_runs.find(
    (checkRun) =>
      checkRun.external_id === externalId && (checkRun.app?.slug ?? botSlug) === botSlug,
  );
}

/** GitHub refuses a longer summary or text with 422 ("maximum bytesize"), so cut it with a notice. */
function outputWith(output: CheckRunOutput, annotations: CheckRunAnnotation[]) {
  return {
    title: output.title,
    summary: truncateUtf8Bytes(output.summary, CHECK_RUN_TEXT_MAX_BYTES, TRUNCATION_NOTICE),
    ...(output.text === undefined
      ? {}
      : { text: truncateUtf8Bytes(output.text, CHECK_RUN_TEXT_MAX_BYTES, TRUNCATION_NOTICE) }),
    ...(annotations.length > 0 ? { annotations: annotations.map(withShortTitle) } : {}),
  };
}

/** GitHub refuses the whole request for one over-long annotation title, so titles are cut to fit. */
function withShortTitle(annotation: CheckRunAnnotation): CheckRunAnnotation {
  if (annotation.title === undefined) return annotation;
  const characters = Array.from(annotation.title);
  if (characters.length <= CHECK_RUN_ANNOTATION_TITLE_MAX_CHARS) return annotation;
  return {
    ...annotation,
    title: `${characters.slice(0, CHECK_RUN_ANNOTATION_TITLE_MAX_CHARS - 1).join("")}…`,
  };
}
