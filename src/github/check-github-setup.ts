import type { BridgeConfig } from "../config/config-schema.ts";
import type { GitHubRepoRef } from "../effects/effect.ts";
import { PermanentJobError } from "../jobs/job-errors.ts";
import { describeNetworkFailure } from "../util/describe-network-failure.ts";
import { classifyGitHubError } from "./classify-github-error.ts";
import type { OctokitFactory } from "./create-octokit-factory.ts";
import type { GitHubCredentials } from "./read-github-credentials.ts";

export interface SetupFinding {
  /** The repository the finding is about, when it is about one. */
  repo?: string;
  message: string;
}

/**
 * Start-up check of the GitHub side: are the credentials accepted, can they reach every configured
 * repository, and do the routes ask for anything the credential kind cannot do? Returns findings
 * phrased as what to do; an empty list means all is well.
 */
export async function checkGitHubSetup(options: {
  config: BridgeConfig;
  credentials: GitHubCredentials;
  octokitFactory: OctokitFactory;
}): Promise<SetupFinding[]> {
  const { config, credentials, octokitFactory } = options;
  const credentialName = credentials.kind === "app" ? "APP_ID and PRIVATE_KEY" : "GITHUB_TOKEN";
  const findings: SetupFinding[] = [];

  if (credentials.kind === "token") {
    for (const route of config.routes) {
      if (route.commits === "checks") {
        findings.push({
          repo: route.github,
          message: `route ${route.hub} → ${route.github} asks for checks, which need a GitHub App: set APP_ID and PRIVATE_KEY`,
        });
      }
    }
  }

  try {
    await octokitFactory.identity();
  } catch (error) {
    const network = describeNetworkFailure(error, githubAt(credentials));
    findings.push({
      message: network
        ? `${network}; ${credentialName} could not be checked`
        : `GitHub refused ${credentialName} (${describe(error)}); check them against ${credentials.baseUrl}`,
    });
    return findings;
  }

  const repos = new Set([
    ...config.routes.map((route) => route.github),
    ...config.endpoints.map((watch) => watch.github),
  ]);
  for (const fullName of repos) {
    const finding = await checkRepo(octokitFactory, credentials, fullName);
    if (finding) findings.push({ repo: fullName, message: finding });
  }
  return findings;
}

async function checkRepo(
  octokitFactory: OctokitFactory,
  credentials: GitHubCredentials,
  fullName: string,
): Promise<string | undefined> {
  const [owner = "", repo = ""] = fullName.split("/");
  const ref: GitHubRepoRef = { owner, repo };
  let client: Awaited<ReturnType<OctokitFactory["forRepo"]>>;
  try {
    // For an App this looks up its installation on the repo, whose absence says how to fix it.
    client = await octokitFactory.forRepo(ref);
  } catch (error) {
    if (error instanceof PermanentJobError) return error.message;
    return (
      describeNetworkFailure(error, githubAt(credentials)) ??
      `cannot reach ${fullName} (${describe(error)})`
    );
  }
  try {
    await client.octokit.request("GET /repos/{owner}/{repo}", { owner, repo });
    return undefined;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status !== 404 && status !== 403) {
      return (
        describeNetworkFailure(error, githubAt(credentials)) ??
        `cannot reach ${fullName} (${describe(error)})`
      );
    }
    return credentials.kind === "token"
      ? `GITHUB_TOKEN cannot see ${fullName}: give it access to that repository`
      : `The GitHub App's installation cannot see ${fullName}: add the repository to the installation`;
  }
}

function githubAt(credentials: GitHubCredentials) {
  return { service: "GitHub", url: credentials.baseUrl, setting: "GITHUB_API_URL" };
}

function describe(error: unknown): string {
  const failure = classifyGitHubError(error, Date.now());
  if (failure.kind === "rate-limit") return failure.reason;
  return failure.status === undefined
    ? `no answer: ${failure.excerpt}`
    : `${failure.status}: ${failure.excerpt}`;
}
