/**
 * The claim's read: the first due entry of each live-job index, the older (smaller id) of the two.
 * Each arm reads one index entry, so a claim costs the same with 100 or 1,000,000 jobs queued;
 * INDEXED BY makes SQLite refuse to prepare the statement rather than fall back to a scan if an
 * index goes missing. Jobs come out in the order they became due (for new jobs, arrival).
 */
export const FIND_DUE_JOB_SQL = `
  SELECT min(id) AS id FROM (
    SELECT id FROM (
      SELECT id FROM jobs INDEXED BY jobs_queued_due
      WHERE state = 'queued' AND not_before <= :now ORDER BY not_before, id LIMIT 1)
    UNION ALL
    SELECT id FROM (
      SELECT id FROM jobs INDEXED BY jobs_running_lease
      WHERE state = 'running' AND lease_expires_at <= :now ORDER BY lease_expires_at, id LIMIT 1)
  )`;
