-- Even a hash index dirtied a random page per delivery, half of what each commit wrote. The hashes
-- are now held in memory by the writer (create-sqlite-dedupe-index.ts); the column stays for it.
DROP INDEX deliveries_by_dedupe_hash;
