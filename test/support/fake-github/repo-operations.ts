import { findRepo } from "./find-repo.ts";
import { githubError } from "./github-error.ts";
import { renderUser } from "./render-user.ts";
import type { OperationTable } from "./types.ts";

const HEX_SHA = /^[0-9a-f]{7,40}$/i;

/** repos/get, get-collaborator-permission-level and get-commit. */
export function repoOperations(): OperationTable {
  return {
    "repos/get": (request, state) => {
      const repo = findRepo(state, request);
      if (!repo) return githubError(404, "Not Found");
      const fullName = `${repo.owner}/${repo.name}`;
      return {
        status: 200,
        body: {
          id: repo.id,
          node_id: `R_${repo.id}`,
          name: repo.name,
          full_name: fullName,
          owner: renderUser({ login: repo.owner, id: repo.id * 3, type: "User" }, request.baseUrl),
          private: repo.private,
          visibility: repo.private ? "private" : "public",
          default_branch: repo.default_branch,
          html_url: `https://github.com/${fullName}`,
          url: `${request.baseUrl}/repos/${fullName}`,
          archived: false,
          disabled: false,
          fork: false,
          has_issues: true,
        },
      };
    },
    "repos/get-collaborator-permission-level": (request, state) => {
      const repo = findRepo(state, request);
      if (!repo) return githubError(404, "Not Found");
      const login = request.pathParams.username ?? "";
      const permission = repo.collaborators.get(login) ?? (repo.private ? "none" : "read");
      return {
        status: 200,
        body: {
          permission: legacyPermission(permission),
          role_name: permission,
          user: renderUser({ login, id: 0, type: "User" }, request.baseUrl),
        },
      };
    },
    "repos/get-commit": (request, state) => {
      const repo = findRepo(state, request);
      if (!repo) return githubError(404, "Not Found");
      const ref = request.pathParams.ref ?? "";
      const sha = repo.branches.has(ref)
        ? repo.commits.at(-1)
        : repo.commits.find((known) => known.startsWith(ref.toLowerCase()) && HEX_SHA.test(ref));
      if (sha === undefined) {
        return HEX_SHA.test(ref)
          ? githubError(422, `No commit found for SHA: ${ref}`)
          : githubError(404, "Not Found");
      }
      const fullName = `${repo.owner}/${repo.name}`;
      return {
        status: 200,
        body: {
          sha,
          node_id: `C_${sha}`,
          url: `${request.baseUrl}/repos/${fullName}/commits/${sha}`,
          html_url: `https://github.com/${fullName}/commit/${sha}`,
          commit: { message: `Commit ${sha.slice(0, 7)}`, tree: { sha } },
          parents: [],
          files: [],
        },
      };
    },
  };
}

/** The `permission` field only knows the four classic levels; `role_name` carries the exact role. */
function legacyPermission(role: string): string {
  if (role === "maintain") return "write";
  if (role === "triage") return "read";
  return role;
}
