-- Leases that let one replica of several do a job alone (one poller per watch across the fleet);
-- another takes over once the holder stops renewing.
CREATE TABLE leases (
  name text PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);
