import pg from "pg";

/** How long the probe waits before calling PostgreSQL unreachable. */
const PROBE_TIMEOUT_MS = 2000;

export interface PostgresProbe {
  url: string;
  /** CI sets HF_BRIDGE_REQUIRE_POSTGRES=1: there an unreachable server fails the run instead of skipping. */
  required: boolean;
  reachable: boolean;
  /** Why the probe failed, with any password in the URL masked. */
  problem?: string;
}

/** Probes the test PostgreSQL once; call it at the top of a test file and branch on the answer. */
export async function postgresAvailable(): Promise<PostgresProbe> {
  const url = process.env.HF_BRIDGE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const required = process.env.HF_BRIDGE_REQUIRE_POSTGRES === "1";
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { url, required, reachable: true };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      url,
      required,
      reachable: false,
      problem: `PostgreSQL at ${maskPassword(url)} is unreachable (${reason})`,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparseable HF_BRIDGE_TEST_POSTGRES_URL)";
  }
}
