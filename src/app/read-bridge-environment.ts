import {
  type GitHubCredentials,
  readGitHubCredentials,
} from "../github/read-github-credentials.ts";
import { splitSecretList } from "../hf/split-secret-list.ts";
import { DEFAULT_HUB_URL } from "../hub/create-hub-client.ts";
import type { HfOAuthSettings } from "../server/console/create-hf-sign-in.ts";
import type { PageDetails } from "../server/create-landing-page-handler.ts";

const DEFAULT_ENDPOINTS_API_URL = "https://api.endpoints.huggingface.cloud";

/** Everything the bridge takes from the environment: secrets and addresses, never from the config file. */
export interface BridgeEnvironment {
  /** Accepted Hub webhook secrets (`HF_WEBHOOK_SECRET`, comma-separated while rotating). */
  webhookSecrets: string[];
  /** GitHub App or token credentials; undefined means dry-run. */
  github: GitHubCredentials | undefined;
  /** Hub token (`HF_TOKEN`): endpoint polling, private Space runtimes, write-back to discussions. */
  hfToken: string | undefined;
  /** `HF_ENDPOINT`, the name huggingface_hub uses for another Hub address. */
  hubUrl: string;
  /** `HF_ENDPOINTS_API_URL`, for tests and private deployments of the Endpoints API. */
  endpointsApiUrl: string;
  /** `HF_BRIDGE_MARKER_KEY`: signs hidden link markers; generated and kept in the store when unset. */
  markerKey: string | undefined;
  /** `HF_BRIDGE_METRICS_TOKEN`: bearer token for `GET /metrics`; metrics are off when unset. */
  metricsToken: string | undefined;
  /** `HF_BRIDGE_PAGE_DETAILS`: who sees routes and deliveries on the landing page (default local). */
  pageDetails: PageDetails;
  /**
   * The OAuth app for Sign in with Hugging Face (`OAUTH_CLIENT_ID`, `OAUTH_CLIENT_SECRET`,
   * `OPENID_PROVIDER_URL`, `OAUTH_SCOPES`, set on a Space by `hf_oauth: true`); undefined when unset.
   */
  oauth: HfOAuthSettings | undefined;
  /** `HF_BRIDGE_API_TOKEN`: bearer token for `/api/…`, for scripts. */
  apiToken: string | undefined;
}

export function readBridgeEnvironment(env: Record<string, string | undefined>): BridgeEnvironment {
  return {
    webhookSecrets: splitSecretList(env.HF_WEBHOOK_SECRET),
    github: readGitHubCredentials(env),
    hfToken: env.HF_TOKEN || undefined,
    hubUrl: env.HF_ENDPOINT || DEFAULT_HUB_URL,
    endpointsApiUrl: env.HF_ENDPOINTS_API_URL || DEFAULT_ENDPOINTS_API_URL,
    markerKey: env.HF_BRIDGE_MARKER_KEY || undefined,
    metricsToken: env.HF_BRIDGE_METRICS_TOKEN || undefined,
    pageDetails: readPageDetails(env.HF_BRIDGE_PAGE_DETAILS),
    oauth: readOAuth(env),
    apiToken: env.HF_BRIDGE_API_TOKEN || undefined,
  };
}

function readOAuth(env: Record<string, string | undefined>): HfOAuthSettings | undefined {
  const { OAUTH_CLIENT_ID: clientId, OAUTH_CLIENT_SECRET: clientSecret } = env;
  if (!clientId && !clientSecret) return undefined;
  if (!clientId || !clientSecret) {
    throw new Error(
      `${clientId ? "OAUTH_CLIENT_SECRET" : "OAUTH_CLIENT_ID"} is unset while ${clientId ? "OAUTH_CLIENT_ID" : "OAUTH_CLIENT_SECRET"} is set; set both (a Space with hf_oauth: true sets them) or neither`,
    );
  }
  return {
    providerUrl: env.OPENID_PROVIDER_URL || DEFAULT_HUB_URL,
    clientId,
    clientSecret,
    ...(env.OAUTH_SCOPES ? { scopes: env.OAUTH_SCOPES } : {}),
  };
}

function readPageDetails(value: string | undefined): PageDetails {
  if (value === undefined || value === "" || value === "local") return "local";
  if (value === "public") return "public";
  throw new Error(
    `HF_BRIDGE_PAGE_DETAILS=${JSON.stringify(value)} is not "local" or "public"; unset it to show routes and deliveries only to this machine, or set it to "public" to show them to everyone who reaches the page`,
  );
}
