import type { OctokitFactory } from "../github/create-octokit-factory.ts";

/** GitHub's classic permission levels that include pushing (maintain is reported as write). */
const SPEAKING_PERMISSIONS = new Set(["admin", "write"]);

/**
 * Whether a GitHub user may speak through the bot: write access to the repo
 * (`GET /repos/{owner}/{repo}/collaborators/{username}/permission`).
 */
export async function canSpeakForRepo(
  octokitFactory: OctokitFactory,
  repo: { owner: string; repo: string },
  login: string,
): Promise<{ allowed: boolean; permission: string }> {
  const client = await octokitFactory.forRepo(repo);
  try {
    const { data } = await client.octokit.request(
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
      { owner: repo.owner, repo: repo.repo, username: login },
    );
    return { allowed: SPEAKING_PERMISSIONS.has(data.permission), permission: data.permission };
  } catch (error) {
    // GitHub answers 404 for someone who is not a collaborator at all.
    if ((error as { status?: number }).status === 404)
      return { allowed: false, permission: "none" };
    throw error;
  }
}
