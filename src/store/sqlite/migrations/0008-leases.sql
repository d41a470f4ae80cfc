-- Leases (see the Store interface): one process holds them all on SQLite, kept so both backends
-- behave alike and pass one conformance suite.
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
