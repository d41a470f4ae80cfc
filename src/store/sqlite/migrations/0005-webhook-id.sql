-- The sender's delivery id (the Hub's Webhook-Id header), the first dedupe check; its key's hash
-- joins the writer's in-memory index beside the payload key's (create-sqlite-dedupe-index.ts).
ALTER TABLE deliveries ADD COLUMN webhook_id TEXT;
ALTER TABLE deliveries ADD COLUMN webhook_hash INTEGER;
