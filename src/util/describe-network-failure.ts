/** Where a request went, for the message: who, the address, and the setting that holds it. */
interface NetworkTarget {
  /** e.g. "GitHub", "the Hub". */
  service: string;
  /** The address tried; a failed Octokit request's own URL wins, as it is more precise. */
  url: string;
  /** What holds the address, e.g. "GITHUB_API_URL" or "the hub-url input". */
  setting: string;
}

/** How deep to look for the socket's error: fetch wraps it once, Octokit once more. */
const MAX_CAUSE_DEPTH = 6;

type Cause = "refused" | "dns" | "timeout" | "reset" | "unreachable" | "tls";

/** Node's and undici's error codes for a request that never got an HTTP answer. */
const CAUSES_BY_CODE: Readonly<Record<string, Cause>> = {
  ECONNREFUSED: "refused",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  EAI_FAIL: "dns",
  ETIMEDOUT: "timeout",
  ESOCKETTIMEDOUT: "timeout",
  UND_ERR_CONNECT_TIMEOUT: "timeout",
  UND_ERR_HEADERS_TIMEOUT: "timeout",
  UND_ERR_BODY_TIMEOUT: "timeout",
  ECONNRESET: "reset",
  EPIPE: "reset",
  UND_ERR_SOCKET: "reset",
  ENETUNREACH: "unreachable",
  EHOSTUNREACH: "unreachable",
  ENETDOWN: "unreachable",
  CERT_HAS_EXPIRED: "tls",
  DEPTH_ZERO_SELF_SIGNED_CERT: "tls",
  SELF_SIGNED_CERT_IN_CHAIN: "tls",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "tls",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "tls",
  ERR_TLS_CERT_ALTNAME_INVALID: "tls",
};

const WHAT_HAPPENED: Readonly<Record<Cause, string>> = {
  refused: "the connection was refused, so nothing accepts connections at that address",
  dns: "the host name does not resolve",
  timeout: "no answer came in time",
  reset: "the connection was cut before an answer came",
  unreachable: "this machine has no route to that host",
  tls: "the server's TLS certificate is not trusted",
};

function whatToCheck(cause: Cause, setting: string): string {
  switch (cause) {
    case "refused":
      return `check the host and port in ${setting}, and that the service there is running`;
    case "dns":
      return `check ${setting} for a typo, and this machine's DNS`;
    case "tls":
      return `check ${setting}, or give Node your CA with NODE_EXTRA_CA_CERTS`;
    default:
      return `check ${setting} and this machine's network (connection, proxy, firewall)`;
  }
}

/**
 * Names a request that got no HTTP answer as what it is, a network failure, with the address tried
 * and what to check; undefined when the error is an answer (a status), which callers describe
 * themselves. Octokit reports such failures as status 500 without a response, so that alone does
 * not make them GitHub's answer.
 */
export function describeNetworkFailure(error: unknown, target: NetworkTarget): string | undefined {
  const outer = error as { response?: unknown; request?: { url?: unknown } } | undefined;
  if (outer?.response !== undefined) return undefined;
  const found = findCause(error);
  if (!found) return undefined;
  const url = typeof outer?.request?.url === "string" ? outer.request.url : target.url;
  const detail = found.code ? ` (${[found.code, found.address].filter(Boolean).join(" ")})` : "";
  return `network failure: ${target.service} at ${withoutQuery(url)} could not be reached: ${WHAT_HAPPENED[found.cause]}${detail} — ${whatToCheck(found.cause, target.setting)}`;
}

function findCause(error: unknown): { cause: Cause; code?: string; address?: string } | undefined {
  let current = error as
    | { code?: unknown; name?: unknown; cause?: unknown; address?: unknown; port?: unknown }
    | undefined;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current; depth++) {
    const code = typeof current.code === "string" ? current.code : undefined;
    const cause = code === undefined ? undefined : CAUSES_BY_CODE[code];
    if (code && cause) {
      const address =
        typeof current.address === "string"
          ? `${current.address}${typeof current.port === "number" ? `:${current.port}` : ""}`
          : undefined;
      return { cause, code, ...(address ? { address } : {}) };
    }
    // AbortSignal.timeout(): the bridge's own per-request timeout ran out.
    if (current.name === "TimeoutError") return { cause: "timeout" };
    current = current.cause as typeof current;
  }
  return undefined;
}

/** Query strings may carry a secret (`?secret=`); the path is enough to find the call. */
function withoutQuery(url: string): string {
  const parsed = URL.parse(url);
  return parsed ? `${parsed.origin}${parsed.pathname}` : url;
}
