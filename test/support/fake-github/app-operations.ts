import { findRepo } from "./find-repo.ts";
import { githubError } from "./github-error.ts";
import { issueInstallationToken } from "./issue-installation-token.ts";
import { renderUser } from "./render-user.ts";
import type { FakeGitHubState, OperationTable } from "./types.ts";

const INSTALLATION_PERMISSIONS = {
  actions: "write",
  checks: "write",
  contents: "write",
  issues: "write",
  metadata: "read",
};

/** apps/get-authenticated, get-repo-installation, create-installation-access-token, users/get-authenticated. */
export function appOperations(): OperationTable {
  return {
    "apps/get-authenticated": (request, state) => ({
      status: 200,
      body: {
        id: state.app.id,
        slug: state.app.slug,
        node_id: `A_${state.app.id}`,
        name: state.app.name,
        owner: renderUser({ login: state.app.owner, id: 1, type: "User" }, request.baseUrl),
        description: null,
        external_url: "https://huggingface.co",
        html_url: `https://github.com/apps/${state.app.slug}`,
        created_at: "2024-01-01T00:00:00Z",
        updated_at: "2024-01-01T00:00:00Z",
        permissions: INSTALLATION_PERMISSIONS,
        events: ["check_run", "issues", "issue_comment"],
      },
    }),
    "apps/get-repo-installation": (request, state) => {
      const repo = findRepo(state, request);
      if (!repo || repo.installationId === null) return githubError(404, "Not Found");
      return {
        status: 200,
        body: renderInstallation(state, repo.installationId, repo.owner, request.baseUrl),
      };
    },
    "apps/create-installation-access-token": (request, state) => {
      const installationId = Number(request.pathParams.installation_id);
      if (!installationExists(state, installationId)) return githubError(404, "Not Found");
      const token = issueInstallationToken(state, installationId);
      return {
        status: 201,
        body: {
          token: token.token,
          expires_at: token.expiresAt.toISOString(),
          permissions: INSTALLATION_PERMISSIONS,
          repository_selection: "selected",
        },
      };
    },
    "users/get-authenticated": (request) => {
      const token = request.token;
      if (!token) return githubError(401, "Requires authentication");
      if (token.kind === "installation") {
        return githubError(403, "Resource not accessible by integration");
      }
      return { status: 200, body: renderUser(token.user, request.baseUrl) };
    },
  };
}

function installationExists(state: FakeGitHubState, installationId: number): boolean {
  return [...state.repos.values()].some((repo) => repo.installationId === installationId);
}

function renderInstallation(
  state: FakeGitHubState,
  installationId: number,
  accountLogin: string,
  baseUrl: string,
) {
  return {
    id: installationId,
    account: renderUser({ login: accountLogin, id: installationId * 7, type: "User" }, baseUrl),
    app_id: state.app.id,
    app_slug: state.app.slug,
    target_id: installationId * 7,
    target_type: "Organization",
    repository_selection: "selected",
    access_tokens_url: `${baseUrl}/app/installations/${installationId}/access_tokens`,
    repositories_url: `${baseUrl}/installation/repositories`,
    html_url: `https://github.com/settings/installations/${installationId}`,
    permissions: INSTALLATION_PERMISSIONS,
    events: ["check_run", "issues", "issue_comment"],
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    single_file_name: null,
  };
}
