/** The job is still running under this lease: $1 job id, $2 lease token. */
export const POSTGRES_HELD_JOB = "id = $1 AND state = 'running' AND lease_token = $2";
