/** Issue, PR and discussion links GitHub would turn into timeline cross-references. */
const GITHUB_THREAD_HOST =
  /(?<![\w.-])(?:www\.)?github\.com(?=\/[^/\s]+\/[^/\s]+\/(?:issues|pull|pulls|discussions)\/\d)/gi;
/** GitHub's own redirector leads to the same page, but GitHub does not resolve it as a reference (Dependabot's fix). */
const NON_RESOLVING_GITHUB_HOST = "redirect.github.com";

/** Points GitHub issue, PR and discussion links at a host that does not create cross-references. */
export function rehostGithubThreadLinks(text: string): string {
  return text.replace(GITHUB_THREAD_HOST, NON_RESOLVING_GITHUB_HOST);
}
