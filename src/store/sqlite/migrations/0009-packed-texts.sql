-- A delivery's texts (body, headers, the job's event and outcome) made up most of its bytes, about 3× the body
-- in all. New rows keep them packed (src/store/pack-text.ts: a codec id byte, then deflate with a
-- preset dictionary) in the *_packed columns and an empty string (NULL for the outcome) in the old ones; rows from before
-- keep their plain text and no packed bytes, and are read as they are. The console filters on the
-- Hub repo, so it gets a plain column of its own, filled here for the rows already stored.
ALTER TABLE deliveries ADD COLUMN body_packed BLOB;
ALTER TABLE deliveries ADD COLUMN headers_packed BLOB;
ALTER TABLE jobs ADD COLUMN event_packed BLOB;
ALTER TABLE jobs ADD COLUMN outcome_packed BLOB;
ALTER TABLE jobs ADD COLUMN hub_repo TEXT;
UPDATE jobs SET hub_repo = json_extract(event, '$.repo.name');
