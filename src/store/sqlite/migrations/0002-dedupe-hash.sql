-- The dedupe table's text keys made every new delivery dirty a random page of a wide index, the
-- largest cost of an ingest commit. A 32-bit hash of the key (registered by migrateSqlite) indexes
-- the deliveries themselves; the key is compared on the few rows a hash finds, and writers already
-- serialise on BEGIN IMMEDIATE, so the lookup and the insert cannot interleave.
ALTER TABLE deliveries ADD COLUMN dedupe_hash INTEGER;
UPDATE deliveries SET dedupe_hash = bridge_dedupe_hash(dedupe_key);
CREATE INDEX deliveries_by_dedupe_hash ON deliveries (dedupe_hash);
CREATE INDEX deliveries_by_received_at ON deliveries (received_at);
DROP TABLE dedupe;
