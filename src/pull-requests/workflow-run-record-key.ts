import type { GitHubRepoRef, LinkKey } from "../effects/effect.ts";
import type { HubRepoType } from "../hf/hub-payload-schema.ts";

/** What the bridge keeps about a Hub PR run it started, so the run's result finds its way back. */
export interface WorkflowRunRecord {
  hubRepo: { type: HubRepoType; name: string };
  num: number;
  /** `hub-discussion:<repoId>:<num>`, the link key of the mirrored issue when there is one. */
  discussion: LinkKey;
  headSha: string;
  /** Who let it run (`member of acme`, an approving login), shown with the result. */
  approvedBy: string;
}

/** The state key of one run started by a dispatch, by the repository and run id GitHub gave back. */
export function workflowRunRecordKey(repo: GitHubRepoRef, runId: number): string {
  return `pr-run-record:${repo.owner}/${repo.repo}:${runId}`.toLowerCase();
}
