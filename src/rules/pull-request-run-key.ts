/** The key of a Hub PR's CI run of one head commit: the same whether a push or an open planned it. */
export function pullRequestRunKey(github: string, repoId: string, num: string, headSha: string) {
  return `workflow-dispatch:pr:${github}:${repoId}:${num}:${headSha}`;
}
