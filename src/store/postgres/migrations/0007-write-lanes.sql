-- GitHub's write limits shared by the replicas: a row per lane (installation or token) holding
-- the slot of the write in flight and what spacing and the rolling caps count, and each thread's
-- recent writes for the write budget. Times are the bridge's epoch milliseconds.
CREATE TABLE write_lanes (
  lane text PRIMARY KEY,
  last_write_end double precision,
  last_content_end double precision,
  content_starts double precision[] NOT NULL DEFAULT '{}',
  paused_until double precision,
  pause_reason text NOT NULL DEFAULT '',
  holder text,
  held_until double precision
);
CREATE TABLE thread_writes (
  thread text NOT NULL,
  at double precision NOT NULL
);
CREATE INDEX thread_writes_by_thread ON thread_writes (thread, at);
